"""Loading the credential catalog from `prep/data/credentials.yaml` (cached while unchanged)."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from prep.core.ce.catalog import Catalog, CatalogError, catalog_from_mapping

CATALOG_FILE = Path(__file__).resolve().parent.parent / "data" / "credentials.yaml"


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Catalog:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: {exc}") from exc
    try:
        return catalog_from_mapping(data)
    except CatalogError as exc:
        raise CatalogError(f"{path}: {exc}") from exc


def load_catalog(path: str | Path = CATALOG_FILE) -> Catalog:
    """The credential catalog; raise CatalogError naming the field when the file is wrong."""
    path = Path(path)
    return _load(str(path), path.stat().st_mtime_ns)


def catalog_as_json(catalog: Catalog) -> dict:
    """The catalog as the API and the catalog page show it (amounts as numbers)."""
    return {
        "categories": [{"slug": s, "title": t} for s, t in catalog.categories],
        "formats": [{"slug": s, "title": t} for s, t in catalog.formats],
        "credentials": [
            {
                "slug": c.slug,
                "abbreviation": c.abbreviation,
                "name": c.name,
                "body": c.body,
                "body_name": c.body_name,
                "cycle_months": c.cycle_months,
                "expiry_rule": c.expiry_rule,
                "requirement": {
                    "amount": float(c.required),
                    "unit": c.unit,
                    "scale_by_held": [float(a) for a in c.scale_by_held] or None,
                },
                "contact_hours_per_unit": float(c.contact_hours_per_unit),
                "category_minimums": [
                    {
                        "key": m.key,
                        "label": m.label,
                        "amount": float(m.amount),
                        "category": m.category,
                        "accreditation_mentions": m.accreditation_mentions,
                    }
                    for m in c.minimums
                ],
                "caps": [{"format": cap.format, "amount": float(cap.amount), "label": cap.label} for cap in c.caps],
                "within_cycle_only": c.within_cycle_only,
                "reinstatement_window_months": c.reinstatement_window_months,
                "reinstatement_window_days": c.reinstatement_window_days,
                "provisional_window_months": c.provisional_window_months,
                "shared_activities": c.shared_activities,
                "fee": c.fee,
                "sources": list(c.sources),
                "confidence": c.confidence,
                "notes": c.notes,
            }
            for c in catalog.credentials
        ],
    }
