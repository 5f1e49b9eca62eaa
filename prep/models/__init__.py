"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from prep.models.attempt import Attempt, AttemptItem
from prep.models.base import Base
from prep.models.ce import CeActivity, CeApplication, CeCycle, CertificateFile, Certification
from prep.models.question import BankSyncState, Collection, Question, QuestionTopic, QuestionVersion
from prep.models.storage import StoredFile
from prep.models.user import ApiToken, User

__all__ = [
    "ApiToken",
    "Attempt",
    "AttemptItem",
    "BankSyncState",
    "Base",
    "CeActivity",
    "CeApplication",
    "CeCycle",
    "CertificateFile",
    "Certification",
    "Collection",
    "Question",
    "QuestionTopic",
    "QuestionVersion",
    "StoredFile",
    "User",
]
