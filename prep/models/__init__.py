"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from prep.models.base import Base
from prep.models.user import ApiToken, User

__all__ = ["ApiToken", "Base", "User"]
