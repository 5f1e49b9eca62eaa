"""A generated bank large enough for full exam draws, synced straight into the database."""

from __future__ import annotations

from prep.bank.blueprint_file import load_blueprint
from prep.bank.services import sync_bank
from prep.core import exam
from prep.core.items import Item
from prep.extensions import db
from prep.models.base import utcnow
from tests.bankfiles import BLUEPRINT

TOPICS = {"billing-revenue-cycle": ("billing-coding", "claims"), "law-ethics-compliance": ("healthcare-law", "hipaa")}


def make_item(n: int, domain: str, difficulty: int = 2) -> Item:
    topics = TOPICS.get(domain, ("medical-terminology",))
    return Item(
        id=f"t-{domain[:4]}-{n}",
        domain=domain,
        topics=topics,
        difficulty=difficulty,
        stem=f"Test question {n} in {domain}?",
        options=(f"key {n}", f"wrong one {n}", f"wrong two {n}", f"wrong three {n}"),
        rationales=("Correct.", "Incorrect 1.", "Incorrect 2.", "Incorrect 3."),
        answer=0,
        references=("Ref",),
        test_plan="Rev01222022",
    )


def seed_bank(app, extra_per_domain: int = 3) -> list[Item]:
    """Sync enough items for an exam (blueprint + pretest quota + extra per domain)."""
    blueprint = load_blueprint(BLUEPRINT.parent)
    quota = exam.pretest_quota(blueprint)
    items = []
    for d in blueprint.domains:
        for n in range(d.items + quota[d.slug] + extra_per_domain):
            items.append(make_item(n, d.slug, difficulty=1 + n % 3))
    with app.app_context():
        sync_bank(db.session, items, utcnow())
        db.session.commit()
    return items


def write_exam_bank(folder, extra_per_domain: int = 3):
    """Bank files (blueprint + items) with enough items for a full mock exam."""
    from tests.bankfiles import item, write_bank

    blueprint = load_blueprint(BLUEPRINT.parent)
    quota = exam.pretest_quota(blueprint)
    files = {}
    for d in blueprint.domains:
        count = d.items + quota[d.slug] + extra_per_domain
        files[f"{d.slug}/generated.yaml"] = [
            item(
                f"g-{d.slug.replace('-', '')[:8]}-{n}",
                domain=d.slug,
                answer="ABCD"[n % 4],
                stem=f"Generated {d.slug} question {n}?",
            )
            for n in range(count)
        ]
    return write_bank(folder, files)
