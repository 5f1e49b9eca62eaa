"""The JSON shapes of CE objects, shared by the API (amounts as JSON numbers, dates ISO 8601)."""

from __future__ import annotations

from decimal import Decimal

from prep.ce import services
from prep.models.ce import CeActivity, CeCycle, CertificateFile, Certification


def number(value: Decimal | None):
    """A Decimal as a JSON number: 10, 1.5."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def certification_json(c: Certification) -> dict:
    credential = services.credential_for(c)
    return {
        "id": c.id,
        "credential": c.credential,
        "credential_name": f"{credential.abbreviation}: {credential.name}",
        "unit": credential.unit,
        "number": c.number,
        "cycle_start": c.cycle_start.isoformat(),
        "expires_on": c.expires_on.isoformat(),
        "provisional": c.provisional,
        "test_date": c.test_date.isoformat() if c.test_date else None,
        "credentials_held": c.credentials_held,
        "past_cycles": [cycle_json(cycle) for cycle in c.cycles],
    }


def cycle_json(cycle: CeCycle) -> dict:
    return {
        "id": cycle.id,
        "cycle_start": cycle.cycle_start.isoformat(),
        "expires_on": cycle.expires_on.isoformat(),
        "renewed_on": cycle.renewed_on.isoformat(),
        "unit": cycle.unit,
        "required": number(cycle.required),
        "earned": number(cycle.earned),
        "requirement_met": cycle.requirement_met,
    }


def certificate_json(f: CertificateFile) -> dict:
    return {
        "id": f.id,
        "filename": f.filename,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.sha256,
        "uploaded_at": f.uploaded_at.isoformat(),
    }


def activity_json(a: CeActivity) -> dict:
    return {
        "id": a.id,
        "title": a.title,
        "provider": a.provider,
        "accreditation": a.accreditation,
        "completed_on": a.completed_on.isoformat(),
        "contact_hours": number(a.contact_hours),
        "category": a.category,
        "format": a.format,
        "notes": a.notes,
        "certifications": sorted(app.certification_id for app in a.applications),
        "certificates": [certificate_json(f) for f in a.files],
    }
