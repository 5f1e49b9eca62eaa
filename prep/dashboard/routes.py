"""Landing page, the learner's dashboard (readiness, what to study next, progress charts), exports."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from prep.bank.blueprint_file import load_blueprint
from prep.core import readiness
from prep.dashboard import charts, services
from prep.downloads import private_attachment
from prep.extensions import db
from prep.models.base import utcnow
from prep.quiz.forms import ActionForm

bp = Blueprint("dashboard", __name__)
TARGETED_PRACTICE_COUNT = 10


@bp.get("/")
def landing():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    return render_template("dashboard/landing.html")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _descriptions(data: services.Dashboard) -> dict[str, str]:
    """What each chart shows, in words, for assistive technology."""
    found = {
        f"acc-{slug}": "Accuracy per week over the last {} weeks, oldest first: {}.".format(
            len(weeks), ", ".join("no answers" if w.percent is None else f"{w.percent:.0f}%" for w in weeks)
        )
        for slug, weeks in data.weekly.items()
    }
    found["exams"] = "Percent correct on scored questions, oldest first: {}.".format(
        ", ".join(f"{e.percent:.0f}%" for e in data.exams)
    )
    found["due"] = "Items due on each of the next {} days, starting today (overdue items count today): {}.".format(
        len(data.due_days), ", ".join(str(n) for _, n in data.due_days)
    )
    return found


@bp.get("/dashboard")
@login_required
def home():
    now = utcnow()
    blueprint = load_blueprint(current_app.config["QUESTION_BANK_PATH"])
    data = services.dashboard(db.session, current_user.id, blueprint, now)
    titles = {d.slug: d.title for d in blueprint.domains}
    weekly = {
        slug: charts.bar_chart(
            [(f"{w.week:%b %d}", w.percent, "") for w in weeks],
            maximum=100,
            width=240,
            height=130,
            left=44,
            ends_only=True,
        )
        for slug, weeks in data.weekly.items()
    }
    return render_template(
        "dashboard/home.html",
        data=data,
        descriptions=_descriptions(data),
        now=now,
        titles=titles,
        topic_titles={t.slug: t.title for t in blueprint.topics},
        percent=_percent,
        weekly=weekly,
        weeks=next(iter(data.weekly.values()), []),
        exams_chart=charts.line_chart([(f"{e.finished_at:%b %d}", e.percent) for e in data.exams]),
        due_chart=charts.bar_chart([(f"{d:%d}", n, str(n) if n else "") for d, n in data.due_days]),
        calendar_chart=charts.calendar_chart(data.calendar),
        practice_count=TARGETED_PRACTICE_COUNT,
        evidence_window_days=readiness.EVIDENCE_WINDOW_DAYS,
        half_life_days=readiness.HALF_LIFE_DAYS,
        form=ActionForm(),
    )


@bp.get("/dashboard/attempts.csv")
@login_required
def attempts_csv():
    body = services.attempts_csv(db.session, current_user.id)
    return private_attachment(body, "text/csv", f"cmaa-prep-attempts-{utcnow():%Y-%m-%d}.csv")
