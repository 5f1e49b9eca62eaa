"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from prep.models.attempt import Attempt, AttemptItem
from prep.models.base import Base
from prep.models.ce import CeActivity, CeApplication, CeCycle, CertificateFile, Certification
from prep.models.cohort import Assignment, AssignmentAccommodation, Cohort, CohortInvite, CohortMember, CollectionDraft
from prep.models.office import Office, OfficeMember, OfficeSummary
from prep.models.question import BankSyncState, Collection, Question, QuestionTopic, QuestionVersion
from prep.models.reminder import Reminder, ReminderSettings
from prep.models.report import ItemReport
from prep.models.review import ReviewCard, ReviewLog, ReviewSettings
from prep.models.storage import StoredFile
from prep.models.user import ApiToken, User

__all__ = [
    "ApiToken",
    "Assignment",
    "AssignmentAccommodation",
    "Attempt",
    "AttemptItem",
    "BankSyncState",
    "Base",
    "CeActivity",
    "CeApplication",
    "CeCycle",
    "CertificateFile",
    "Certification",
    "Cohort",
    "CohortInvite",
    "CohortMember",
    "Collection",
    "CollectionDraft",
    "ItemReport",
    "Office",
    "OfficeMember",
    "OfficeSummary",
    "Question",
    "QuestionTopic",
    "QuestionVersion",
    "Reminder",
    "ReminderSettings",
    "ReviewCard",
    "ReviewLog",
    "ReviewSettings",
    "StoredFile",
    "User",
]
