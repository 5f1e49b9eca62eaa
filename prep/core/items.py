"""Question items as plain data, and the rules that do not need the bank files.

An item is a single-best-answer question with exactly four options. Its `content_hash` decides
whether a change in the files makes a new version in the database.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass, field

OPTION_COUNT = 4
LETTERS = "ABCD"
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# ICD-10-CM codes as written in text: a letter (not U), two characters, then optionally a dot
# and one to four more. Codes are expected with their dot, as the Tabular List prints them.
ICD_CODE_PATTERN = re.compile(r"(?<![A-Za-z0-9.\-])([A-TV-Z][0-9][0-9AB](?:\.[0-9A-Z]{1,4})?)(?![A-Za-z0-9])")
_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014"})


@dataclass(frozen=True)
class Item:
    """One question as the bank files describe it (before it gets a database version)."""

    id: str
    domain: str
    topics: tuple[str, ...]
    difficulty: int
    stem: str
    options: tuple[str, ...]
    rationales: tuple[str, ...]
    answer: int
    references: tuple[str, ...]
    test_plan: str
    review: dict = field(default_factory=dict, compare=False)

    @property
    def content_hash(self) -> str:
        """A digest of everything a learner sees or is scored on (review notes excluded)."""
        payload = {
            "domain": self.domain,
            "topics": sorted(self.topics),
            "difficulty": self.difficulty,
            "stem": self.stem,
            "options": list(self.options),
            "rationales": list(self.rationales),
            "answer": self.answer,
            "references": list(self.references),
            "test_plan": self.test_plan,
        }
        raw = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(raw).hexdigest()

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]


def normalise_stem(stem: str) -> str:
    """Lower case, punctuation removed, white space collapsed: for duplicate detection."""
    return " ".join(stem.lower().translate(_PUNCTUATION).split())


def stem_tokens(stem: str) -> frozenset[str]:
    return frozenset(normalise_stem(stem).split())


def near_duplicate(a: frozenset[str], b: frozenset[str], threshold: float = 0.8) -> bool:
    """Jaccard similarity of two token sets at or above `threshold`."""
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= threshold


def icd_codes_in(text: str) -> list[str]:
    """Every string in `text` written like an ICD-10-CM code (category or code with a dot)."""
    return ICD_CODE_PATTERN.findall(text)


def key_is_longest(options: tuple[str, ...], answer: int) -> bool:
    """True when the key is strictly longer than every distractor (a test-wiseness cue)."""
    key_len = len(options[answer])
    return all(key_len > len(o) for i, o in enumerate(options) if i != answer)
