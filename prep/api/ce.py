"""CE tracker API: the credential catalog, certifications, activities, certificates, status, renewals.

Other users' objects answer 404. Refused input answers 422 (400 for a body that is not a JSON
object or a missing file, 413 for a file over 10 MB) with `{"error": {"code", "message",
"fields": {field: message}}}`, and nothing is saved.
"""

from __future__ import annotations

from flask import g, jsonify, request

from prep.api.blueprint import bp
from prep.ce import certificates, cycles, exports, services
from prep.ce.catalog import catalog_as_json, load_catalog
from prep.ce.downloads import certificate_download
from prep.ce.presenters import activity_json, certificate_json, certification_json, cycle_json, number
from prep.core.ce.inputs import parse_hours, parse_iso_date
from prep.core.uploads import MAX_CERTIFICATE_BYTES
from prep.downloads import private_attachment
from prep.errors import error_response
from prep.extensions import db
from prep.models.base import utcnow
from prep.storage import storage_for

CERTIFICATION_FIELDS = {
    "credential",
    "number",
    "cycle_start",
    "expires_on",
    "provisional",
    "test_date",
    "credentials_held",
}
ACTIVITY_FIELDS = {
    "title",
    "provider",
    "completed_on",
    "contact_hours",
    "category",
    "format",
    "accreditation",
    "notes",
    "certifications",
}


class BadInput(ValueError):
    def __init__(self, fields: dict[str, str], status: int = 422, message: str | None = None):
        super().__init__(message or "Some of what you sent needs to be corrected.")
        self.fields, self.status, self.message = fields, status, str(self)


def _refuse(exc: BadInput | services.CeError):
    db.session.rollback()
    status = getattr(exc, "status", 422)
    return error_response(status, "invalid_input", exc.message, exc.fields)


def _not_found(what: str):
    return error_response(404, "not_found", f"No such {what}.")


def _today():
    return utcnow().date()


def _body(allowed: set[str]) -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadInput({"body": "Send a JSON object with Content-Type: application/json."}, 400)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadInput({unknown[0]: f"Unknown field: {unknown[0]}."})
    return data


def _fields(data: dict, parsers: dict) -> tuple[dict, dict[str, str]]:
    """Parse each present field; collect every problem at once."""
    values, problems = {}, {}
    for name, (parse, required) in parsers.items():
        if data.get(name) is None:
            if required:
                problems[name] = "This field is required."
            continue
        try:
            values[name] = parse(data[name])
        except ValueError as exc:
            problems[name] = str(exc)
    return values, problems


def _text(value) -> str:
    if not isinstance(value, str):
        raise ValueError("Expected a string.")
    return value


def _bool(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError("Expected true or false.")
    return value


def _int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Expected a whole number.")
    return value


def _ids(value) -> list[int]:
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ValueError("Expected a list of certification ids.")
    return value


@bp.get("/credentials")
def credentials():
    return jsonify(catalog_as_json(load_catalog()))


@bp.post("/certifications")
def create_certification():
    try:
        data = _body(CERTIFICATION_FIELDS)
        values, problems = _fields(
            data,
            {
                "credential": (_text, True),
                "number": (_text, True),
                "cycle_start": (parse_iso_date, True),
                "expires_on": (parse_iso_date, False),
                "provisional": (_bool, False),
                "test_date": (parse_iso_date, False),
                "credentials_held": (_int, False),
            },
        )
        if problems:
            raise BadInput(problems)
        certification = services.add_certification(db.session, g.api_user, today=_today(), **values)
    except (BadInput, services.CeError) as exc:
        return _refuse(exc)
    db.session.commit()
    return jsonify(certification_json(certification)), 201


@bp.get("/certifications")
def list_certifications():
    return jsonify(certifications=[certification_json(c) for c in services.list_certifications(db.session, g.api_user)])


@bp.get("/certifications/<int:certification_id>")
def get_certification(certification_id: int):
    certification = services.get_certification(db.session, g.api_user, certification_id)
    if certification is None:
        return _not_found("certification")
    return jsonify(certification_json(certification))


@bp.get("/certifications/<int:certification_id>/status")
def certification_status(certification_id: int):
    certification = services.get_certification(db.session, g.api_user, certification_id)
    if certification is None:
        return _not_found("certification")
    on = _today()
    if request.args.get("on"):
        try:
            on = parse_iso_date(request.args["on"])
        except ValueError as exc:
            return error_response(422, "invalid_input", str(exc), {"on": str(exc)})
    s = cycles.certification_status(db.session, certification, on)
    return jsonify(
        credential=certification.credential,
        unit=s.unit,
        required=number(s.required),
        earned=number(s.earned),
        remaining=number(s.remaining),
        expected_by_now=number(s.expected_by_now),
        cycle_start=s.cycle_start.isoformat(),
        expires_on=s.expires_on.isoformat(),
        days_left=s.days_left,
        state=s.state,
        reinstate_until=s.reinstate_until.isoformat() if s.reinstate_until else None,
        counted=s.counted,
        excluded=[{"id": i, "reason": reason} for i, reason in s.excluded],
    )


@bp.post("/certifications/<int:certification_id>/renewals")
def record_renewal(certification_id: int):
    certification = services.get_certification(db.session, g.api_user, certification_id)
    if certification is None:
        return _not_found("certification")
    try:
        values, problems = _fields(_body({"renewed_on"}), {"renewed_on": (parse_iso_date, True)})
        if problems:
            raise BadInput(problems)
        cycle = cycles.record_renewal(db.session, certification, values["renewed_on"], _today())
    except (BadInput, services.CeError) as exc:
        return _refuse(exc)
    db.session.commit()
    return jsonify(closed_cycle=cycle_json(cycle), certification=certification_json(certification)), 201


@bp.get("/certifications/<int:certification_id>/audit-packet")
def audit_packet(certification_id: int):
    certification = services.get_certification(db.session, g.api_user, certification_id)
    if certification is None:
        return _not_found("certification")
    cycle = None
    if request.args.get("cycle"):
        cycle_id = request.args["cycle"]
        cycle = cycles.get_cycle(db.session, certification, int(cycle_id)) if cycle_id.isdigit() else None
        if cycle is None:
            return _not_found("closed cycle")
    packet = exports.audit_packet(db.session, storage_for(db.session), certification, _today(), cycle)
    return private_attachment(packet.data, "application/zip", packet.filename)


@bp.post("/ce-activities")
def create_activity():
    try:
        values, problems = _fields(
            _body(ACTIVITY_FIELDS),
            {
                "title": (_text, True),
                "provider": (_text, True),
                "completed_on": (parse_iso_date, True),
                "contact_hours": (parse_hours, True),
                "category": (_text, False),
                "format": (_text, False),
                "accreditation": (_text, False),
                "notes": (_text, False),
                "certifications": (_ids, True),
            },
        )
        if problems:
            raise BadInput(problems)
        values["certification_ids"] = values.pop("certifications", [])
        activity = services.log_activity(db.session, g.api_user, today=_today(), **values)
    except (BadInput, services.CeError) as exc:
        return _refuse(exc)
    db.session.commit()
    return jsonify(activity_json(activity)), 201


@bp.get("/ce-activities")
def list_activities():
    return jsonify(activities=[activity_json(a) for a in services.list_activities(db.session, g.api_user)])


@bp.get("/ce-activities/<int:activity_id>")
def get_activity(activity_id: int):
    activity = services.get_activity(db.session, g.api_user, activity_id)
    if activity is None:
        return _not_found("activity")
    return jsonify(activity_json(activity))


@bp.delete("/ce-activities/<int:activity_id>")
def delete_activity(activity_id: int):
    activity = services.get_activity(db.session, g.api_user, activity_id)
    if activity is None:
        return _not_found("activity")
    services.delete_activity(db.session, storage_for(db.session), activity)
    db.session.commit()
    return "", 204


@bp.post("/ce-activities/<int:activity_id>/certificate")
def upload_certificate(activity_id: int):
    activity = services.get_activity(db.session, g.api_user, activity_id)
    if activity is None:
        return _not_found("activity")
    upload = request.files.get("file")
    if upload is None:
        return error_response(400, "invalid_input", "Send the file as multipart field 'file'.", {"file": "Required."})
    try:
        file = certificates.attach_certificate(
            db.session,
            storage_for(db.session),
            activity,
            upload.stream.read(MAX_CERTIFICATE_BYTES + 1),
            upload.filename,
        )
    except certificates.CertificateRefused as exc:
        db.session.rollback()
        return error_response(exc.status, "file_refused", exc.message, {"file": exc.message})
    db.session.commit()
    return jsonify(certificate_json(file)), 201


@bp.get("/certificates/<int:file_id>")
def download_certificate(file_id: int):
    file = certificates.get_certificate(db.session, g.api_user, file_id)
    if file is None:
        return _not_found("certificate")
    return certificate_download(storage_for(db.session), file)
