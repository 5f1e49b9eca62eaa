"""Parsing what a learner asks for (form or JSON) into checked start options."""

from __future__ import annotations

from dataclasses import dataclass, field

from prep.core.blueprint import Blueprint
from prep.core.exam import ACCOMMODATIONS
from prep.quiz.errors import bad_input

PRACTICE_COUNT_RANGE = (5, 100)
FILTERS = ("unseen", "missed", "flagged")
MIN_CUSTOM_LIMIT_SECONDS = 60
MAX_CUSTOM_LIMIT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StartOptions:
    mode: str
    topics: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    count: int = 20
    difficulty: tuple[int, ...] = ()
    filter: str | None = None
    timing: str = "untimed"
    time_limit_seconds: int | None = None
    question_keys: tuple[str, ...] = field(default=())
    # Draw from this instructor collection instead of the bank (set by assignments, never by parse_start).
    collection_id: int | None = None


def _str_list(data: dict, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    value = data.get(name) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_input(name, f"{name} must be a list of slugs.")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise bad_input(name, f"Unknown {name[:-1]}: {', '.join(unknown)}.")
    return tuple(dict.fromkeys(value))


def _int(value, name: str) -> int:
    if isinstance(value, bool):
        raise bad_input(name, f"{name} must be a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise bad_input(name, f"{name} must be a whole number.")


def parse_start(data: dict, blueprint: Blueprint) -> StartOptions:
    """Check a start request; raise QuizError naming the field for anything out of range."""
    if not isinstance(data, dict):
        raise bad_input("body", "Send a JSON object.")
    mode = data.get("mode")
    if mode not in ("practice", "exam"):
        raise bad_input("mode", "mode must be 'practice' or 'exam'.")
    timing = data.get("timing") or ("standard" if mode == "exam" else "untimed")
    if timing not in ACCOMMODATIONS:
        raise bad_input("timing", f"timing must be one of: {', '.join(ACCOMMODATIONS)}.")
    if mode == "exam":
        return StartOptions(mode="exam", timing=timing)
    topics = _str_list(data, "topics", blueprint.topic_slugs)
    domains = _str_list(data, "domains", blueprint.domain_slugs)
    count = _int(data.get("count", 20), "count")
    low, high = PRACTICE_COUNT_RANGE
    if not low <= count <= high:
        raise bad_input("count", f"count must be between {low} and {high}.")
    raw_difficulty = data.get("difficulty") or []
    if not isinstance(raw_difficulty, list):
        raw_difficulty = [raw_difficulty]
    difficulty = tuple(sorted({_int(d, "difficulty") for d in raw_difficulty}))
    if any(d not in (1, 2, 3) for d in difficulty):
        raise bad_input("difficulty", "difficulty values must be 1, 2 or 3.")
    chosen_filter = data.get("filter") or None
    if chosen_filter is not None and chosen_filter not in FILTERS:
        raise bad_input("filter", f"filter must be one of: {', '.join(FILTERS)}.")
    limit = data.get("time_limit_seconds")
    if limit not in (None, ""):
        limit = _int(limit, "time_limit_seconds")
        if not MIN_CUSTOM_LIMIT_SECONDS <= limit <= MAX_CUSTOM_LIMIT_SECONDS:
            raise bad_input("time_limit_seconds", "time_limit_seconds must be between 60 and 86400.")
        timing = "custom"
    else:
        limit = None
    keys = data.get("question_ids") or []
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys) or len(keys) > high:
        raise bad_input("question_ids", f"question_ids must be a list of at most {high} question ids.")
    return StartOptions(
        mode="practice",
        topics=topics,
        domains=domains,
        count=count,
        difficulty=difficulty,
        filter=chosen_filter,
        timing="custom" if limit else "untimed",
        time_limit_seconds=limit,
        question_keys=tuple(keys),
    )
