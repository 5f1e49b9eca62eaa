"""The exam blueprint (test plan) as plain data.

The numbers come from `question_bank/blueprint.yaml`; this module only gives them a shape and
checks that they are consistent. Nothing here knows the CMAA's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    slug: str
    title: str
    items: int


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    description: str


@dataclass(frozen=True)
class Blueprint:
    exam: str
    version: str
    source: dict
    domains: tuple[Domain, ...]
    pretest_items: int
    minutes: int
    topics: tuple[Topic, ...]

    @property
    def scored_items(self) -> int:
        return sum(d.items for d in self.domains)

    @property
    def total_items(self) -> int:
        return self.scored_items + self.pretest_items

    @property
    def domain_slugs(self) -> tuple[str, ...]:
        return tuple(d.slug for d in self.domains)

    @property
    def topic_slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.topics)

    def domain(self, slug: str) -> Domain:
        for d in self.domains:
            if d.slug == slug:
                return d
        raise KeyError(slug)


class BlueprintError(ValueError):
    """The blueprint data is inconsistent; the message names the field."""


def _require(data: dict, key: str, kind: type, where: str):
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise BlueprintError(f"{where}{key}: expected {kind.__name__}")
    return value


def blueprint_from_mapping(data: dict) -> Blueprint:
    """Build a Blueprint from the parsed YAML mapping, checking every field."""
    if not isinstance(data, dict):
        raise BlueprintError("blueprint: expected a mapping")
    domains = []
    for i, d in enumerate(_require(data, "domains", list, "")):
        where = f"domains[{i}]."
        if not isinstance(d, dict):
            raise BlueprintError(f"domains[{i}]: expected a mapping")
        items = _require(d, "items", int, where)
        if items < 0:
            raise BlueprintError(f"{where}items: must not be negative")
        domains.append(Domain(_require(d, "slug", str, where), _require(d, "title", str, where), items))
    topics = []
    for i, t in enumerate(_require(data, "topics", list, "")):
        where = f"topics[{i}]."
        if not isinstance(t, dict):
            raise BlueprintError(f"topics[{i}]: expected a mapping")
        topics.append(
            Topic(
                _require(t, "slug", str, where),
                _require(t, "title", str, where),
                _require(t, "description", str, where),
            )
        )
    for label, slugs in (("domains", [d.slug for d in domains]), ("topics", [t.slug for t in topics])):
        if len(set(slugs)) != len(slugs):
            raise BlueprintError(f"{label}: slugs must be unique")
    blueprint = Blueprint(
        exam=_require(data, "exam", str, ""),
        version=str(_require(data, "version", str, "")),
        source=_require(data, "source", dict, ""),
        domains=tuple(domains),
        pretest_items=_require(data, "pretest_items", int, ""),
        minutes=_require(data, "minutes", int, ""),
        topics=tuple(topics),
    )
    declared = data.get("scored_items")
    if declared is not None and declared != blueprint.scored_items:
        raise BlueprintError(
            f"scored_items: {declared} does not match the sum of domain items ({blueprint.scored_items})"
        )
    if blueprint.minutes <= 0:
        raise BlueprintError("minutes: must be positive")
    return blueprint
