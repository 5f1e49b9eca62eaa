"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from prep.models.attempt import Attempt, AttemptItem
from prep.models.base import Base
from prep.models.question import BankSyncState, Collection, Question, QuestionTopic, QuestionVersion
from prep.models.user import ApiToken, User

__all__ = [
    "ApiToken",
    "Attempt",
    "AttemptItem",
    "BankSyncState",
    "Base",
    "Collection",
    "Question",
    "QuestionTopic",
    "QuestionVersion",
    "User",
]
