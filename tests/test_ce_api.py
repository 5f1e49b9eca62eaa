"""The CE JSON API as issue 9 specifies it: catalog, certifications, activities, files, status, renewals."""

import hashlib
import io
import zipfile

import pytest
import time_machine

from prep.extensions import db as _db
from prep.models import CeActivity, CertificateFile, Certification, StoredFile
from tests import ce_files

TODAY = "2026-11-27"
STATUS_FIELDS = {
    "credential",
    "unit",
    "required",
    "earned",
    "remaining",
    "expected_by_now",
    "cycle_start",
    "expires_on",
    "days_left",
    "state",
    "reinstate_until",
    "counted",
    "excluded",
}


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(f"{TODAY}T15:00:00Z", tick=False):
        yield


class Api:
    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path, **kw):
        return self.client.get("/api/v1" + path, headers=self.headers, **kw)

    def post(self, path, json=None, **kw):
        return self.client.post("/api/v1" + path, json=json, headers=self.headers, **kw)

    def delete(self, path):
        return self.client.delete("/api/v1" + path, headers=self.headers)

    def certification(self, **data):
        body = {"credential": "nha-cmaa", "number": "CMAA-1", "cycle_start": "2025-03-15", **data}
        response = self.post("/certifications", body)
        assert response.status_code == 201, response.json
        return response.json

    def activity(self, certifications, **data):
        body = {
            "title": "HIPAA update",
            "provider": "Acme CE",
            "completed_on": "2025-06-01",
            "contact_hours": 4,
            "certifications": certifications,
            **data,
        }
        response = self.post("/ce-activities", body)
        assert response.status_code == 201, response.json
        return response.json

    def upload(self, activity_id, data, filename="certificate.pdf", content_type="application/pdf"):
        return self.client.post(
            f"/api/v1/ce-activities/{activity_id}/certificate",
            data={"file": (io.BytesIO(data), filename, content_type)},
            headers=self.headers,
            content_type="multipart/form-data",
        )


@pytest.fixture
def api(auth, client):
    auth.user()
    return Api(client, auth.api_token())


@pytest.fixture
def other(auth, app):
    auth.user(email="other@example.com", name="Other Person")
    return Api(app.test_client(), auth.api_token("other@example.com"))


def _counts(app):
    with app.app_context():
        return tuple(
            _db.session.query(model).count() for model in (Certification, CeActivity, CertificateFile, StoredFile)
        )


def test_catalog(api):
    response = api.get("/credentials")
    assert response.status_code == 200
    credentials = {c["slug"]: c for c in response.json["credentials"]}
    cmaa = credentials["nha-cmaa"]
    assert cmaa["requirement"] == {"amount": 10, "unit": "credits", "scale_by_held": None}
    assert (cmaa["cycle_months"], cmaa["contact_hours_per_unit"], cmaa["reinstatement_window_months"]) == (24, 2, 12)
    assert credentials["aapc-cpc"]["requirement"]["scale_by_held"] == [36, 40, 44, 48, 52]
    assert credentials["aama-cma"]["expiry_rule"] == "end-of-month"
    assert cmaa["fee"]["amount"] is None and "Check with NHA" in cmaa["fee"]["note"]
    assert {c["slug"] for c in response.json["formats"]} == {"live", "online", "college", "in-service"}


def test_add_and_list_certifications_with_default_expiry(api):
    cmaa = api.certification(cycle_start="2024-02-29")
    assert cmaa["expires_on"] == "2026-02-28"
    assert cmaa["id"] and cmaa["unit"] == "credits" and cmaa["past_cycles"] == []
    aama = api.certification(credential="aama-cma", number="A1", cycle_start="2022-03-15")
    assert aama["expires_on"] == "2027-03-31"
    own = api.certification(number="C2", cycle_start="2025-01-01", expires_on="2027-01-31")
    assert own["expires_on"] == "2027-01-31"
    provisional = api.certification(number="P1", cycle_start="2026-06-01", provisional=True, test_date="2026-06-01")
    assert provisional["expires_on"] == "2027-06-01"
    listed = api.get("/certifications").json["certifications"]
    assert [c["number"] for c in listed] == ["CMAA-1", "A1", "C2", "P1"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"credential": "nha-xyz"}, 422, "credential"),
        ({"expires_on": "2025-03-14"}, 422, "expires_on"),
        ({"cycle_start": "2027-01-01"}, 422, "cycle_start"),
        ({"cycle_start": "15/03/2025"}, 422, "cycle_start"),
        ({"number": ""}, 422, "number"),
        ({"number": None}, 422, "number"),
        ({"provisional": "yes"}, 422, "provisional"),
        ({"provisional": True}, 422, "test_date"),
        ({"colour": "blue"}, 422, "colour"),
    ],
)
def test_bad_certifications_are_refused_naming_the_field(app, api, body, status, field):
    data = {"credential": "nha-cmaa", "number": "CMAA-1", "cycle_start": "2025-03-15", **body}
    response = api.post("/certifications", data)
    assert response.status_code == status
    assert field in response.json["error"]["fields"]
    assert response.json["error"]["code"] == "invalid_input"
    assert _counts(app) == (0, 0, 0, 0)


def test_body_that_is_not_json_is_400(api):
    response = api.client.post("/api/v1/certifications", data="credential=nha-cmaa", headers=api.headers)
    assert response.status_code == 400
    assert "body" in response.json["error"]["fields"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact_hours": 0}, "contact_hours"),
        ({"contact_hours": -2}, "contact_hours"),
        ({"contact_hours": 5000}, "contact_hours"),
        ({"contact_hours": "lots"}, "contact_hours"),
        ({"completed_on": "2026-12-25"}, "completed_on"),
        ({"completed_on": "2026-02-30"}, "completed_on"),
        ({"title": "  "}, "title"),
        ({"category": "fun"}, "category"),
        ({"format": "podcast"}, "format"),
        ({"certifications": "1"}, "certifications"),
        ({"certifications": [999999]}, "certifications"),
        ({"certifications": None}, "certifications"),
    ],
)
def test_bad_activities_are_refused_and_nothing_is_saved(app, api, changes, field):
    cert = api.certification()
    body = {
        "title": "HIPAA update",
        "provider": "Acme CE",
        "completed_on": "2025-06-01",
        "contact_hours": 4,
        "certifications": [cert["id"]],
        **changes,
    }
    response = api.post("/ce-activities", body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert _counts(app) == (1, 0, 0, 0)


def test_status_has_exactly_the_contract_fields(api):
    cert = api.certification()
    inside = api.activity([cert["id"]], contact_hours=4)
    before = api.activity([cert["id"]], completed_on="2025-03-14", title="Too early")
    unapplied = api.activity([], completed_on="2025-07-01", title="Not applied")
    response = api.get(f"/certifications/{cert['id']}/status?on=2026-03-15")
    assert response.status_code == 200
    body = response.json
    assert set(body) == STATUS_FIELDS
    assert body == {
        "credential": "nha-cmaa",
        "unit": "credits",
        "required": 10,
        "earned": 2,
        "remaining": 8,
        "expected_by_now": 5,
        "cycle_start": "2025-03-15",
        "expires_on": "2027-03-15",
        "days_left": 365,
        "state": "behind-pace",
        "reinstate_until": None,
        "counted": [inside["id"]],
        "excluded": [
            {"id": before["id"], "reason": "outside-cycle"},
            {"id": unapplied["id"], "reason": "not-applied"},
        ],
    }


def test_status_defaults_to_today_and_reports_reinstatement(api):
    cert = api.certification(cycle_start="2024-01-10")
    today = api.get(f"/certifications/{cert['id']}/status").json
    assert today["days_left"] == -321 and today["state"] == "expired-reinstatable"
    assert today["reinstate_until"] == "2027-01-10"
    lapsed = api.get(f"/certifications/{cert['id']}/status?on=2027-01-11").json
    assert (lapsed["state"], lapsed["reinstate_until"]) == ("lapsed", None)
    bad = api.get(f"/certifications/{cert['id']}/status?on=tomorrow")
    assert bad.status_code == 422 and "on" in bad.json["error"]["fields"]


def test_aapc_requirement_scales_with_credentials_held(api):
    cert = api.certification(credential="aapc-cpc", number="CPC1", cycle_start="2025-01-01", credentials_held=3)
    assert api.get(f"/certifications/{cert['id']}/status").json["required"] == 44


def test_other_users_objects_are_404(api, other):
    cert = api.certification()
    activity = api.activity([cert["id"]])
    file = api.upload(activity["id"], ce_files.PDF).json
    for path in (
        f"/certifications/{cert['id']}",
        f"/certifications/{cert['id']}/status",
        f"/certifications/{cert['id']}/audit-packet",
        f"/ce-activities/{activity['id']}",
        f"/certificates/{file['id']}",
    ):
        assert other.get(path).status_code == 404, path
    assert other.delete(f"/ce-activities/{activity['id']}").status_code == 404
    assert other.post(f"/certifications/{cert['id']}/renewals", {"renewed_on": TODAY}).status_code == 404
    assert other.upload(activity["id"], ce_files.PDF).status_code == 404
    refused = other.post(
        "/ce-activities",
        {"title": "x", "provider": "y", "completed_on": TODAY, "contact_hours": 1, "certifications": [cert["id"]]},
    )
    assert refused.status_code == 422 and "certifications" in refused.json["error"]["fields"]
    assert api.get(f"/ce-activities/{activity['id']}").status_code == 200
    assert other.get("/certifications").json == {"certifications": []}


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(ce_files.PDF, "application/pdf"), (ce_files.png(), "image/png"), (ce_files.jpeg(), "image/jpeg")],
)
def test_certificates_are_stored_by_content_and_downloaded_by_the_owner(app, api, data, content_type):
    activity = api.activity([])
    response = api.upload(activity["id"], data, filename="My cert (final).pdf", content_type="text/plain")
    assert response.status_code == 201, response.json
    file = response.json
    assert file["content_type"] == content_type
    assert file["sha256"] == hashlib.sha256(data).hexdigest()
    assert file["size"] == len(data)
    assert file["filename"] == "My cert (final)." + {"application/pdf": "pdf", "image/png": "png"}.get(
        content_type, "jpg"
    )
    download = api.get(f"/certificates/{file['id']}")
    assert download.status_code == 200
    assert download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == content_type
    with app.app_context():
        key = _db.session.query(CertificateFile.storage_key).scalar()
    assert "cert" not in key and len(key) >= 40
    assert api.get(f"/ce-activities/{activity['id']}").json["certificates"][0]["id"] == file["id"]


@pytest.mark.parametrize(
    ("data", "filename", "status", "words"),
    [
        (ce_files.HTML, "certificate.pdf", 400, "markup"),
        (ce_files.SVG, "certificate.svg", 400, "markup"),
        (ce_files.EXE, "certificate.pdf", 400, "not a PDF, PNG or JPEG"),
        (ce_files.POLYGLOT_HTML_PDF, "certificate.pdf", 400, "markup"),
        (ce_files.PDF_WITH_SCRIPT_TAG, "certificate.pdf", 400, "markup"),
        (ce_files.PDF_WITH_JAVASCRIPT, "certificate.pdf", 400, "scripts"),
        (ce_files.png_with_appended_html(), "certificate.png", 400, "markup"),
        (ce_files.PDF, "../../etc/passwd.pdf", 400, "folder path"),
        (ce_files.PDF, "..\\..\\windows\\cert.pdf", 400, "folder path"),
        (b"", "empty.pdf", 400, "empty"),
        (ce_files.oversize_pdf(), "big.pdf", 413, "10 MB"),
    ],
)
def test_disguised_and_oversize_files_are_refused_and_nothing_is_stored(app, api, data, filename, status, words):
    activity = api.activity([])
    response = api.upload(activity["id"], data, filename=filename)
    assert response.status_code == status
    assert words in response.json["error"]["message"]
    assert "file" in response.json["error"]["fields"]
    assert _counts(app)[2:] == (0, 0)


def test_upload_without_the_file_field_is_400(api):
    activity = api.activity([])
    response = api.client.post(
        f"/api/v1/ce-activities/{activity['id']}/certificate",
        data={"other": (io.BytesIO(ce_files.PDF), "c.pdf")},
        headers=api.headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "file" in response.json["error"]["fields"]


def test_deleting_an_activity_deletes_its_files(app, api):
    cert = api.certification()
    activity = api.activity([cert["id"]])
    assert api.upload(activity["id"], ce_files.PDF).status_code == 201
    assert api.upload(activity["id"], ce_files.png(), "c.png").status_code == 201
    assert _counts(app) == (1, 1, 2, 2)
    assert api.delete(f"/ce-activities/{activity['id']}").status_code == 204
    assert api.get(f"/ce-activities/{activity['id']}").status_code == 404
    assert _counts(app) == (1, 0, 0, 0)


def test_renewal_closes_the_cycle_and_an_activity_never_counts_twice(api):
    cert = api.certification(cycle_start="2024-12-01")
    first = api.activity([cert["id"]], completed_on="2025-01-10", contact_hours=20)
    same_day = api.activity([cert["id"]], completed_on="2026-11-20", contact_hours=2, title="On renewal day")
    response = api.post(f"/certifications/{cert['id']}/renewals", {"renewed_on": "2026-11-20"})
    assert response.status_code == 201, response.json
    closed = response.json["closed_cycle"]
    assert (closed["cycle_start"], closed["expires_on"], closed["renewed_on"]) == (
        "2024-12-01",
        "2026-12-01",
        "2026-11-20",
    )
    assert (closed["earned"], closed["required"], closed["requirement_met"]) == (11, 10, True)
    renewed = response.json["certification"]
    assert (renewed["cycle_start"], renewed["expires_on"]) == ("2026-11-20", "2028-12-01")
    assert renewed["past_cycles"] == [closed]
    later = api.activity([cert["id"]], completed_on="2026-11-25", contact_hours=2, title="New cycle")
    status = api.get(f"/certifications/{cert['id']}/status").json
    assert status["counted"] == [later["id"]]
    assert {e["id"]: e["reason"] for e in status["excluded"]} == {same_day["id"]: "counted-in-closed-cycle"}
    assert first["id"] not in status["counted"]


@pytest.mark.parametrize(
    ("cert", "renewed_on", "field_words"),
    [
        ({}, "2026-12-30", "future"),
        ({}, "2025-01-01", "on or after the cycle start"),
        ({"provisional": True, "test_date": "2026-01-05", "cycle_start": "2026-01-05"}, TODAY, "converted"),
        ({"cycle_start": "2023-01-01"}, TODAY, "exam must be retaken"),
    ],
)
def test_refused_renewals_change_nothing(api, cert, renewed_on, field_words):
    created = api.certification(**cert)
    response = api.post(f"/certifications/{created['id']}/renewals", {"renewed_on": renewed_on})
    assert response.status_code == 422
    assert field_words in response.json["error"]["fields"]["renewed_on"]
    assert api.get(f"/certifications/{created['id']}").json == created


def test_audit_packet_holds_transcript_certificates_and_a_matching_manifest(api):
    cert = api.certification(cycle_start="2025-01-15")
    first = api.activity([cert["id"]], completed_on="2025-02-01", title="Scheduling ethics")
    api.upload(first["id"], ce_files.PDF, "ethics.pdf")
    api.upload(first["id"], ce_files.jpeg(), "ethics-page2.jpg")
    second = api.activity([cert["id"]], completed_on="2025-09-01", title="Billing basics")
    api.upload(second["id"], ce_files.png(), "billing.png")
    outside = api.activity([cert["id"]], completed_on="2024-01-01", title="Old")
    api.upload(outside["id"], ce_files.PDF, "old.pdf")
    response = api.get(f"/certifications/{cert['id']}/audit-packet")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names[0] == "transcript.pdf" and names[-1] == "manifest.sha256"
    assert len([n for n in names if n.startswith("certificates/")]) == 3
    assert not any("old" in n for n in names)
    assert archive.read("transcript.pdf").startswith(b"%PDF")
    manifest = archive.read("manifest.sha256").decode().splitlines()
    assert len(manifest) == len(names) - 1
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert ce_files.PDF in [archive.read(n) for n in names if n.endswith("ethics.pdf")]
