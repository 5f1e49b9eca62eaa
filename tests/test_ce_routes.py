"""CE pages through the test client: forms, uploads, status, renewals, exports, authorisation."""

import io
import re
import zipfile

import pytest
import time_machine

from prep.extensions import db as _db
from prep.models import CeActivity, CertificateFile, Certification, StoredFile
from tests import ce_files
from tests.conftest import csrf_token


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-11-27T15:00:00Z", tick=False):
        yield


def _add_certification(client, **data):
    form = {"credential": "nha-cmaa", "number": "CMAA-77", "cycle_start": "2025-03-15", **data}
    form["csrf_token"] = csrf_token(client, "/ce/certifications/new")
    return client.post("/ce/certifications/new", data=form)


def _log_activity(client, certification_ids=(), file=None, **data):
    form = {
        "title": "Telephone etiquette",
        "provider": "Acme CE",
        "completed_on": "2025-06-01",
        "amount": "3",
        "amount_unit": "contact-hours",
        "category": "general",
        "format": "online",
        "certifications": [str(i) for i in certification_ids],
        **data,
    }
    if file is not None:
        form["certificate"] = file
    form["csrf_token"] = csrf_token(client, "/ce/activities/new")
    return client.post("/ce/activities/new", data=form, content_type="multipart/form-data")


def _id(response, kind):
    return int(re.search(rf"/ce/{kind}/(\d+)", response.headers["Location"]).group(1))


def _counts(app):
    with app.app_context():
        return tuple(_db.session.query(m).count() for m in (Certification, CeActivity, CertificateFile, StoredFile))


def test_pages_need_a_login(client):
    response = client.get("/ce/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_nav_link_and_empty_overview(auth, client):
    auth.login_as()
    page = client.get("/ce/").get_data(as_text=True)
    assert '<a href="/ce/" aria-current="page">Credentials</a>' in page
    assert "You have not added a certification yet." in page


def test_add_a_certification_log_an_activity_with_a_certificate_and_see_the_status(app, auth, client):
    auth.login_as()
    created = _add_certification(client)
    assert created.status_code == 302
    cert_id = _id(created, "certifications")
    logged = _log_activity(
        client, [cert_id], file=(io.BytesIO(ce_files.PDF), "HIPAA cert.pdf"), amount="2", amount_unit="nha-cmaa"
    )
    assert logged.status_code == 302, logged.get_data(as_text=True)
    activity_id = _id(logged, "activities")
    activity_page = client.get(f"/ce/activities/{activity_id}").get_data(as_text=True)
    assert "HIPAA cert.pdf" in activity_page
    assert "<dd>4</dd>" in activity_page  # 2 NHA credits entered = 4 contact hours
    status = client.get(f"/ce/certifications/{cert_id}").get_data(as_text=True)
    assert "2027-03-15" in status and "Telephone etiquette" in status
    assert "Behind pace" in status
    assert re.search(r"<dt>Earned</dt><dd>2 credits", status)
    assert _counts(app) == (1, 1, 1, 1)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"completed_on": "2027-01-01"}, "completed_on", "cannot be in the future"),
        ({"amount": "0"}, "amount", ""),
        ({"amount": "150", "amount_unit": "nha-cmaa"}, "amount", "at most 200"),
        ({"title": ""}, "title", "required"),
        ({"amount": "NaN"}, "amount", "Enter a number"),
    ],
)
def test_bad_activity_input_names_the_field_and_saves_nothing(app, auth, client, data, field, message):
    auth.login_as()
    cert_id = _id(_add_certification(client), "certifications")
    response = _log_activity(client, [cert_id], **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert _counts(app) == (1, 0, 0, 0)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (ce_files.HTML, "certificate.pdf"),
        (ce_files.SVG, "certificate.svg"),
        (ce_files.EXE, "certificate.pdf"),
        (ce_files.POLYGLOT_HTML_PDF, "certificate.pdf"),
        (ce_files.PDF, "../../etc/passwd.pdf"),
    ],
)
def test_refused_file_on_the_log_form_saves_nothing(app, auth, client, content, name):
    auth.login_as()
    response = _log_activity(client, file=(io.BytesIO(content), name))
    assert response.status_code == 422
    assert 'id="certificate-error"' in response.get_data(as_text=True)
    assert _counts(app) == (0, 0, 0, 0)


def test_upload_page_refuses_oversize_and_lets_the_owner_download(app, auth, client):
    auth.login_as()
    activity_id = _id(_log_activity(client), "activities")
    token = csrf_token(client, f"/ce/activities/{activity_id}")
    big = client.post(
        f"/ce/activities/{activity_id}/certificates",
        data={"certificate": (io.BytesIO(ce_files.oversize_pdf()), "big.pdf"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert big.status_code == 413 and "larger than 10 MB" in big.get_data(as_text=True)
    ok = client.post(
        f"/ce/activities/{activity_id}/certificates",
        data={"certificate": (io.BytesIO(ce_files.jpeg()), "scan.JPG"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    with app.app_context():
        file_id = _db.session.query(CertificateFile.id).scalar()
    download = client.get(f"/ce/certificates/{file_id}")
    assert download.status_code == 200 and download.mimetype == "image/jpeg"
    assert download.headers["Content-Disposition"] == "attachment; filename=scan.jpg"
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_other_users_pages_are_404(app, auth, client):
    auth.login_as()
    cert_id = _id(_add_certification(client), "certifications")
    activity_id = _id(_log_activity(client, [cert_id], file=(io.BytesIO(ce_files.PDF), "c.pdf")), "activities")
    with app.app_context():
        file_id = _db.session.query(CertificateFile.id).scalar()
    auth.logout()
    auth.login_as(email="intruder@example.com")
    for path in (
        f"/ce/certifications/{cert_id}",
        f"/ce/certifications/{cert_id}/edit",
        f"/ce/certifications/{cert_id}/audit-packet",
        f"/ce/activities/{activity_id}",
        f"/ce/certificates/{file_id}",
    ):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client, "/ce/")
    for path in (
        f"/ce/activities/{activity_id}/delete",
        f"/ce/certificates/{file_id}/delete",
        f"/ce/certifications/{cert_id}/delete",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code == 404, path
    assert _counts(app) == (1, 1, 1, 1)


def test_renewal_form_closes_the_cycle_and_shows_history(auth, client):
    auth.login_as()
    cert_id = _id(_add_certification(client, cycle_start="2024-12-01"), "certifications")
    _log_activity(client, [cert_id], amount="20")
    token = csrf_token(client, f"/ce/certifications/{cert_id}")
    future = client.post(
        f"/ce/certifications/{cert_id}/renewals", data={"renewed_on": "2027-01-01", "csrf_token": token}
    )
    assert future.status_code == 422 and "cannot be in the future" in future.get_data(as_text=True)
    done = client.post(f"/ce/certifications/{cert_id}/renewals", data={"renewed_on": "2026-11-20", "csrf_token": token})
    assert done.status_code == 302
    page = client.get(f"/ce/certifications/{cert_id}").get_data(as_text=True)
    assert "2024-12-01 to 2026-12-01" in page and "2026-11-20 to 2028-12-01" in page
    assert f"/ce/certifications/{cert_id}/audit-packet?cycle=" in page


def test_edit_certification_and_delete_activity_with_its_files(app, auth, client):
    auth.login_as()
    cert_id = _id(_add_certification(client), "certifications")
    token = csrf_token(client, f"/ce/certifications/{cert_id}/edit")
    edited = client.post(
        f"/ce/certifications/{cert_id}/edit",
        data={"number": "NEW-1", "cycle_start": "2025-03-15", "expires_on": "2027-03-31", "csrf_token": token},
    )
    assert edited.status_code == 302
    assert "2027-03-31" in client.get(f"/ce/certifications/{cert_id}").get_data(as_text=True)
    activity_id = _id(_log_activity(client, [cert_id], file=(io.BytesIO(ce_files.PDF), "c.pdf")), "activities")
    assert _counts(app) == (1, 1, 1, 1)
    deleted = client.post(f"/ce/activities/{activity_id}/delete", data={"csrf_token": csrf_token(client, "/ce/")})
    assert deleted.status_code == 302
    assert _counts(app) == (1, 0, 0, 0)


def test_csv_and_audit_packet_downloads(auth, client):
    auth.login_as()
    cert_id = _id(_add_certification(client), "certifications")
    _log_activity(client, [cert_id], title="@SUM(A1)", file=(io.BytesIO(ce_files.png()), "proof.png"))
    csv = client.get("/ce/activities.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.headers["Content-Disposition"].startswith("attachment;")
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,completed_on,title") and "'@SUM(A1)" in text
    packet = client.get(f"/ce/certifications/{cert_id}/audit-packet")
    archive = zipfile.ZipFile(io.BytesIO(packet.data))
    assert archive.read("transcript.pdf").startswith(b"%PDF")
    assert any(name.endswith("-proof.png") for name in archive.namelist())


def test_catalog_page_shows_confidence_and_fee_caveat(auth, client):
    auth.login_as()
    page = client.get("/ce/credentials").get_data(as_text=True)
    assert "CMAA: Certified Medical Administrative Assistant" in page
    assert "Check with NHA" in page and "(unverified)" in page
    assert "40, 44, 48, 52 for 2, 3, 4, 5+ credentials" in page
