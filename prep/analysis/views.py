"""How item statistics read on the pages: flag labels, and the API shape."""

from __future__ import annotations

from prep.analysis.services import VersionStats
from prep.core import item_stats as rules

FLAG_LABELS = {
    rules.TOO_EASY_FLAG: f"Too easy (facility above {rules.TOO_EASY:.2f})",
    rules.TOO_HARD_FLAG: f"Too hard (facility below {rules.TOO_HARD:.2f})",
    rules.LOW_DISCRIMINATION_FLAG: f"Negative or near-zero discrimination (below {rules.LOW_DISCRIMINATION:.2f})",
    rules.UNUSED_DISTRACTOR_FLAG: "A distractor nobody picks",
    rules.DISTRACTOR_OVER_KEY_FLAG: "A distractor chosen more often than the key",
}


def stats_payload(found: VersionStats) -> dict:
    """{"question_id", "version", "n", "facility", "discrimination", "options": [{"index", "chosen"}], "flags"}."""
    s = found.stats
    return {
        "question_id": found.question.key,
        "version": s.version,
        "n": s.n,
        "facility": None if s.facility is None else round(s.facility, 4),
        "discrimination": None if s.discrimination is None else round(s.discrimination, 4),
        "options": [{"index": i, "chosen": c} for i, c in enumerate(s.options)],
        "flags": list(s.flags),
    }
