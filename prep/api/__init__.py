"""The JSON API under /api/v1: Bearer tokens for clients, the session (with CSRF) for pages.

Feature modules add their endpoints to `bp`; importing them here registers the routes.
"""

from prep.api import attempts, bank, calendar, ce, items, me, progress, reviews  # noqa: F401  (registers routes)
from prep.api.blueprint import bp

__all__ = ["bp"]
