"""Loading the blueprint file of the bank folder (cached while the file is unchanged)."""

from __future__ import annotations

import functools
from pathlib import Path

from prep.bank.yamlfile import YamlError, load_yaml
from prep.core.blueprint import Blueprint, BlueprintError, blueprint_from_mapping

BLUEPRINT_FILE = "blueprint.yaml"


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> Blueprint:
    try:
        return blueprint_from_mapping(load_yaml(Path(path)))
    except YamlError as exc:
        raise BlueprintError(f"{path}:{exc.line or '?'}: {exc}") from exc
    except BlueprintError as exc:
        raise BlueprintError(f"{path}: {exc}") from exc


def load_blueprint(bank_path: str | Path) -> Blueprint:
    """The blueprint in `bank_path/blueprint.yaml`; raise BlueprintError naming the field."""
    path = Path(bank_path) / BLUEPRINT_FILE
    if not path.is_file():
        raise BlueprintError(f"{path}: the blueprint file is missing")
    return _load(str(path), path.stat().st_mtime_ns)
