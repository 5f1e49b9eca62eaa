"""The navigation's per-page figures (due reviews, office management), for every logged-in page.

A service shared by the review and office blueprints, which expose them to base.html.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from flask import g
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session


@cache
def _navigation_statement():
    """Due review cards and whether the user manages an office, in one query built once: every
    logged-in page shows both, and building the two statements per request cost more than
    running them."""
    from prep.core import review as rules
    from prep.models.office import OfficeMember
    from prep.models.review import ReviewCard
    from prep.review.services import due_clause, of_active_questions

    user_id = bindparam("nav_user_id")
    due = of_active_questions(select(func.count(ReviewCard.id))).where(
        ReviewCard.user_id == user_id, due_clause(bindparam("nav_now"), bindparam("nav_ahead"))
    )
    manages = select(OfficeMember.office_id).where(OfficeMember.user_id == user_id, OfficeMember.role == "manager")
    return select(due.scalar_subquery(), manages.exists()), rules.LEARN_AHEAD


def navigation_figures(db: Session, user_id: int, now: datetime) -> tuple[int, bool]:
    """(cards due, manages an office) for the navigation, cached for the request in `g`.

    The same count as prep.review.services.due_count; "manages" means a manager of any office.
    """
    if "navigation_figures" not in g:
        statement, ahead = _navigation_statement()
        due, manages = db.execute(statement, {"nav_user_id": user_id, "nav_now": now, "nav_ahead": now + ahead}).one()
        g.navigation_figures = (due or 0, bool(manages))
    return g.navigation_figures
