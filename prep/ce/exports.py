"""Exports: a CSV of a user's activities, and the audit packet (ZIP) of one cycle.

The packet holds `transcript.pdf`, every certificate file of the activities counted in the
cycle under `certificates/`, and `manifest.sha256` (the `sha256sum` format: check it with
`sha256sum -c manifest.sha256`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from prep.ce import cycles, services
from prep.ce.certificates import read_certificate
from prep.ce.transcript import Transcript, TranscriptLine, render_transcript
from prep.models.ce import CeActivity, CeApplication, CeCycle, Certification
from prep.models.user import User
from prep.storage import Storage

CSV_COLUMNS = (
    "id",
    "completed_on",
    "title",
    "provider",
    "accreditation",
    "contact_hours",
    "category",
    "format",
    "applied_to",
    "certificate_files",
    "notes",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def activities_csv(db: Session, user: User) -> str:
    """Every activity of the user, newest first; cells that a spreadsheet would run are quoted."""
    certifications = {c.id: c for c in services.list_certifications(db, user)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in services.list_activities(db, user):
        applied = "; ".join(
            f"{services.credential_for(certifications[app.certification_id]).abbreviation} "
            f"{certifications[app.certification_id].number}"
            for app in a.applications
        )
        row = (a.id, a.completed_on.isoformat(), a.title, a.provider, a.accreditation, f"{a.contact_hours:.2f}")
        row += (a.category, a.format or "", applied, len(a.files), a.notes)
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


@dataclass(frozen=True)
class Packet:
    filename: str
    data: bytes


def _counted_activities(
    db: Session, certification: Certification, cycle: CeCycle | None, today: date
) -> tuple[list[tuple[CeActivity, Decimal]], Transcript]:
    user = db.get(User, certification.user_id)
    credential = services.credential_for(certification)
    if cycle is None:
        status = cycles.certification_status(db, certification, today)
        amounts = {o.id: o.counted for o in status.outcomes if not o.excluded}
        head = dict(
            cycle_start=certification.cycle_start,
            expires_on=certification.expires_on,
            unit=status.unit,
            required=status.required,
            earned=status.earned,
            state=status.state,
            minimums=tuple((m.label, m.required, m.earned) for m in status.minimums),
        )
    else:
        rows = db.scalars(select(CeApplication).where(CeApplication.closed_cycle_id == cycle.id))
        amounts = {a.activity_id: Decimal(a.counted_amount or 0) for a in rows}
        head = dict(
            cycle_start=cycle.cycle_start,
            expires_on=cycle.expires_on,
            renewed_on=cycle.renewed_on,
            unit=cycle.unit,
            required=Decimal(cycle.required),
            earned=Decimal(cycle.earned),
            state="closed, requirement met" if cycle.requirement_met else "closed, requirement not met",
        )
    activities = [db.get(CeActivity, i) for i in amounts]
    activities.sort(key=lambda a: (a.completed_on, a.id))
    lines = tuple(
        TranscriptLine(
            completed_on=a.completed_on,
            title=a.title,
            provider=a.provider,
            accreditation=a.accreditation,
            category=a.category,
            format=a.format or "",
            contact_hours=Decimal(a.contact_hours),
            counted=amounts[a.id],
            files=tuple(f.filename for f in a.files),
        )
        for a in activities
    )
    transcript = Transcript(
        holder=user.name,
        email=user.email,
        credential=f"{credential.abbreviation}: {credential.name}",
        body=credential.body_name,
        number=certification.number,
        generated_on=today,
        lines=lines,
        **head,
    )
    return [(a, amounts[a.id]) for a in activities], transcript


def audit_packet(
    db: Session, storage: Storage, certification: Certification, today: date, cycle: CeCycle | None = None
) -> Packet:
    """The ZIP for the current cycle (or a closed `cycle`), checksums verified as files are read."""
    counted, transcript = _counted_activities(db, certification, cycle, today)
    members: list[tuple[str, bytes]] = [("transcript.pdf", render_transcript(transcript))]
    for activity, _amount in counted:
        for n, file in enumerate(activity.files, start=1):
            name = f"certificates/{activity.completed_on.isoformat()}-activity{activity.id}-{n}-{file.filename}"
            members.append((name, read_certificate(storage, file)))
    manifest = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
        archive.writestr("manifest.sha256", manifest)
    start = transcript.cycle_start.isoformat()
    slug = certification.credential
    return Packet(filename=f"audit-packet-{slug}-{start}.zip", data=buffer.getvalue())
