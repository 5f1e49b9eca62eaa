"""The credential catalog as plain data: one `Credential` per slug, checked when loaded.

The numbers come from `prep/data/credentials.yaml`; this module gives them a shape and refuses
an inconsistent file with a message naming the field. Nothing here knows any body's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from prep.core.ce.dates import EXPIRY_RULES

UNITS = ("credits", "hours", "points", "CEUs")
CONFIDENCE_LEVELS = ("official", "secondary", "probable", "unverified", "assumption")
CENT = Decimal("0.01")


class CatalogError(ValueError):
    """The catalog data is inconsistent; the message names the credential and field."""


@dataclass(frozen=True)
class Minimum:
    """At least `amount` (in the credential's unit) from activities matching this rule."""

    key: str
    label: str
    amount: Decimal
    category: str | None = None
    accreditation_mentions: str | None = None

    @property
    def dimension(self) -> str:
        """Minimums of one dimension are disjoint; different dimensions may overlap."""
        return "category" if self.category else "accreditation"

    def matches(self, category: str, accreditation: str) -> bool:
        if self.category:
            return category == self.category
        return bool(self.accreditation_mentions) and self.accreditation_mentions.lower() in accreditation.lower()


@dataclass(frozen=True)
class Cap:
    """At most `amount` (in the credential's unit) from activities of one format."""

    format: str
    amount: Decimal
    label: str


@dataclass(frozen=True)
class Credential:
    slug: str
    abbreviation: str
    name: str
    body: str
    body_name: str
    cycle_months: int
    expiry_rule: str
    unit: str
    required: Decimal
    scale_by_held: tuple[Decimal, ...]
    contact_hours_per_unit: Decimal
    minimums: tuple[Minimum, ...]
    caps: tuple[Cap, ...]
    within_cycle_only: bool
    reinstatement_window_months: int | None
    reinstatement_window_days: int | None
    provisional_window_months: int | None
    shared_activities: bool
    fee: dict
    sources: tuple[dict, ...]
    confidence: dict
    notes: str

    @property
    def label(self) -> str:
        return f"{self.abbreviation}: {self.name} ({self.body_name})"

    @property
    def scales_with_credentials_held(self) -> bool:
        return len(self.scale_by_held) > 1

    def required_for(self, credentials_held: int = 1) -> Decimal:
        """The requirement for someone holding `credentials_held` credentials of this body."""
        if not self.scale_by_held:
            return self.required
        index = min(max(credentials_held, 1), len(self.scale_by_held)) - 1
        return self.scale_by_held[index]

    def to_units(self, contact_hours: Decimal) -> Decimal:
        """Contact hours in this credential's unit, rounded down to the cent (never over-credit)."""
        return (contact_hours / self.contact_hours_per_unit).quantize(CENT, rounding=ROUND_DOWN)

    def to_contact_hours(self, amount: Decimal) -> Decimal:
        """An amount in this credential's unit as contact hours."""
        return (amount * self.contact_hours_per_unit).quantize(CENT, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Catalog:
    credentials: tuple[Credential, ...]
    categories: tuple[tuple[str, str], ...]
    formats: tuple[tuple[str, str], ...]

    def get(self, slug: str) -> Credential | None:
        return next((c for c in self.credentials if c.slug == slug), None)

    @property
    def category_slugs(self) -> tuple[str, ...]:
        return tuple(slug for slug, _ in self.categories)

    @property
    def format_slugs(self) -> tuple[str, ...]:
        return tuple(slug for slug, _ in self.formats)


def _amount(value, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CatalogError(f"{where}: expected a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise CatalogError(f"{where}: expected a number") from exc
    if not amount.is_finite() or amount <= 0:
        raise CatalogError(f"{where}: expected a positive number")
    return amount


def _need(data: dict, key: str, kind: type | tuple, where: str):
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise CatalogError(f"{where}.{key}: missing or of the wrong type")
    return value


def _optional_int(data: dict, key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise CatalogError(f"{where}.{key}: expected a positive whole number or null")
    return value


def _pairs(items, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(items, list) or not items:
        raise CatalogError(f"{where}: expected a non-empty list")
    return tuple((_need(i, "slug", str, where), _need(i, "title", str, where)) for i in items)


def _credential(data: dict, categories: tuple[str, ...], formats: tuple[str, ...]) -> Credential:
    if not isinstance(data, dict):
        raise CatalogError("credentials: every entry must be a mapping")
    slug = _need(data, "slug", str, "credentials[?]")
    where = f"credentials[{slug}]"
    requirement = _need(data, "requirement", dict, where)
    unit = requirement.get("unit")
    if unit not in UNITS:
        raise CatalogError(f"{where}.requirement.unit: expected one of {', '.join(UNITS)}")
    scale = tuple(_amount(v, f"{where}.requirement.scale_by_held") for v in requirement.get("scale_by_held") or ())
    minimums = []
    for m in data.get("category_minimums") or ():
        mwhere = f"{where}.category_minimums[{m.get('key')}]"
        if bool(m.get("category")) == bool(m.get("accreditation_mentions")):
            raise CatalogError(f"{mwhere}: give exactly one of category or accreditation_mentions")
        if m.get("category") and m["category"] not in categories:
            raise CatalogError(f"{mwhere}.category: unknown category {m['category']!r}")
        minimums.append(
            Minimum(
                key=_need(m, "key", str, mwhere),
                label=_need(m, "label", str, mwhere),
                amount=_amount(m.get("amount"), f"{mwhere}.amount"),
                category=m.get("category"),
                accreditation_mentions=m.get("accreditation_mentions"),
            )
        )
    caps = []
    for c in data.get("caps") or ():
        cwhere = f"{where}.caps[{c.get('format')}]"
        if c.get("format") not in formats:
            raise CatalogError(f"{cwhere}.format: unknown format")
        caps.append(
            Cap(format=c["format"], amount=_amount(c.get("amount"), f"{cwhere}.amount"), label=c.get("label", ""))
        )
    expiry_rule = data.get("expiry_rule")
    if expiry_rule not in EXPIRY_RULES:
        raise CatalogError(f"{where}.expiry_rule: expected one of {', '.join(EXPIRY_RULES)}")
    confidence = _need(data, "confidence", dict, where)
    for fact, level in confidence.items():
        if level not in CONFIDENCE_LEVELS:
            raise CatalogError(f"{where}.confidence.{fact}: expected one of {', '.join(CONFIDENCE_LEVELS)}")
    cycle_months = _need(data, "cycle_months", int, where)
    if cycle_months <= 0:
        raise CatalogError(f"{where}.cycle_months: expected a positive whole number")
    return Credential(
        slug=slug,
        abbreviation=_need(data, "abbreviation", str, where),
        name=_need(data, "name", str, where),
        body=_need(data, "body", str, where),
        body_name=_need(data, "body_name", str, where),
        cycle_months=cycle_months,
        expiry_rule=expiry_rule,
        unit=unit,
        required=_amount(requirement.get("amount"), f"{where}.requirement.amount"),
        scale_by_held=scale,
        contact_hours_per_unit=_amount(data.get("contact_hours_per_unit"), f"{where}.contact_hours_per_unit"),
        minimums=tuple(minimums),
        caps=tuple(caps),
        within_cycle_only=bool(_need(data, "within_cycle_only", bool, where)),
        reinstatement_window_months=_optional_int(data, "reinstatement_window_months", where),
        reinstatement_window_days=_optional_int(data, "reinstatement_window_days", where),
        provisional_window_months=_optional_int(data, "provisional_window_months", where),
        shared_activities=bool(data.get("shared_activities", True)),
        fee=dict(_need(data, "fee", dict, where)),
        sources=tuple(dict(s) for s in _need(data, "sources", list, where)),
        confidence=dict(confidence),
        notes=str(data.get("notes") or ""),
    )


def catalog_from_mapping(data: dict) -> Catalog:
    """Build the catalog from the parsed YAML mapping, checking every field."""
    if not isinstance(data, dict):
        raise CatalogError("catalog: expected a mapping")
    categories = _pairs(data.get("categories"), "categories")
    formats = _pairs(data.get("formats"), "formats")
    entries = data.get("credentials")
    if not isinstance(entries, list) or not entries:
        raise CatalogError("credentials: expected a non-empty list")
    credentials = tuple(_credential(e, tuple(s for s, _ in categories), tuple(s for s, _ in formats)) for e in entries)
    slugs = [c.slug for c in credentials]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise CatalogError(f"credentials: duplicate slug {', '.join(duplicates)}")
    return Catalog(credentials=credentials, categories=categories, formats=formats)
