"""Helpers that write small bank folders for tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINT = ROOT / "question_bank" / "blueprint.yaml"


def item(
    item_id: str, domain: str = "billing-revenue-cycle", stem: str | None = None, answer: str = "A", **extra
) -> dict:
    """A valid item mapping; override any field with keyword arguments."""
    data = {
        "id": item_id,
        "domain": domain,
        "topics": ["billing-coding"],
        "difficulty": 2,
        "stem": stem or f"Which statement about case {item_id} is correct?",
        "options": [
            {"text": f"First answer for {item_id}", "rationale": "Correct. Because."},
            {"text": f"Second answer for {item_id}", "rationale": "Incorrect. Because."},
            {"text": f"Third answer for {item_id}", "rationale": "Incorrect. Because."},
            {"text": f"Fourth answer for {item_id}", "rationale": "Incorrect. Because."},
        ],
        "answer": answer,
        "references": ["CMS, Medicare Claims Processing Manual, Chapter 1"],
        "test_plan": "Rev01222022",
    }
    data.update(extra)
    return data


def write_bank(folder: Path, files: dict[str, list[dict]]) -> Path:
    """A bank folder with the real blueprint and the given item files (name -> items)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(BLUEPRINT, folder / "blueprint.yaml")
    items_dir = folder / "items"
    if items_dir.exists():
        shutil.rmtree(items_dir)
    for name, items in files.items():
        path = items_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"items": items}, sort_keys=False))
    return folder
