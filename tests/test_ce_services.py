"""CE services against the database: cascades, renewals, applications, storage, packets."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from prep.auth.services import delete_account
from prep.ce import certificates, cycles, exports, services
from prep.models import CeActivity, CeApplication, CeCycle, CertificateFile, Certification, StoredFile, User
from prep.storage import DatabaseStorage
from tests import ce_files
from tests.conftest import PASSWORD

TODAY = date(2026, 11, 27)


@pytest.fixture
def user(app, db, auth):
    return db.get(User, auth.user())


def _cert(db, user, **kw):
    values = {"credential": "nha-cmaa", "number": "C1", "cycle_start": date(2025, 3, 15), "today": TODAY, **kw}
    return services.add_certification(db, user, **values)


def _activity(db, user, certs=(), **kw):
    values = {
        "title": "HIPAA",
        "provider": "Acme",
        "completed_on": date(2025, 6, 1),
        "contact_hours": Decimal("4"),
        "today": TODAY,
        "certification_ids": [c.id for c in certs],
        **kw,
    }
    return services.log_activity(db, user, **values)


def test_deleting_the_account_deletes_every_ce_row_and_file(db, user):
    cert = _cert(db, user)
    activity = _activity(db, user, [cert])
    certificates.attach_certificate(db, DatabaseStorage(db), activity, ce_files.PDF, "c.pdf")
    cycles.record_renewal(db, cert, date(2026, 11, 1), TODAY)
    db.commit()
    for model in (Certification, CeActivity, CeApplication, CeCycle, CertificateFile, StoredFile):
        assert db.query(model).count() == 1, model
    delete_account(db, user, PASSWORD)
    db.commit()
    for model in (Certification, CeActivity, CeApplication, CeCycle, CertificateFile, StoredFile):
        assert db.query(model).count() == 0, model


def test_database_storage_put_get_delete(db, user):
    storage = DatabaseStorage(db)
    key = storage.put(b"bytes", owner_id=user.id)
    other = storage.put(b"bytes")
    assert key != other and len(key) >= 40
    assert storage.get(key) == b"bytes"
    storage.delete(key)
    storage.delete("no-such-key")
    assert storage.get(key) is None
    assert storage.get(other) == b"bytes"


def test_a_damaged_blob_is_never_served(db, user):
    activity = _activity(db, user)
    file = certificates.attach_certificate(db, DatabaseStorage(db), activity, ce_files.PDF, "c.pdf")
    db.get(StoredFile, file.storage_key).data = ce_files.PDF + b"tampered"
    db.flush()
    with pytest.raises(certificates.CertificateMissing):
        certificates.read_certificate(DatabaseStorage(db), file)


def test_apply_activity_keeps_closed_applications(db, user):
    cmaa = _cert(db, user)
    ccma = _cert(db, user, credential="nha-ccma", number="C2")
    activity = _activity(db, user, [cmaa])
    cycles.record_renewal(db, cmaa, date(2026, 11, 1), TODAY)
    services.apply_activity(db, user, activity, [ccma.id])
    assert sorted(a.certification_id for a in activity.applications) == [cmaa.id, ccma.id]
    services.apply_activity(db, user, activity, [])
    assert [a.certification_id for a in activity.applications] == [cmaa.id]


def test_credentials_held_counts_the_bodys_certifications_unless_given(db, user):
    cpc = _cert(db, user, credential="aapc-cpc", number="A1", cycle_start=date(2025, 1, 1))
    assert cycles.certification_status(db, cpc, TODAY).required == Decimal(36)
    services.update_certification(
        db,
        cpc,
        number="A1",
        cycle_start=date(2025, 1, 1),
        expires_on=date(2027, 1, 1),
        provisional=False,
        test_date=None,
        credentials_held=2,
        today=TODAY,
    )
    assert cycles.certification_status(db, cpc, TODAY).required == Decimal(40)


def test_late_renewal_is_a_reinstatement_and_a_lapsed_one_is_refused(db, user):
    cert = _cert(db, user, cycle_start=date(2023, 6, 1))  # expired 2025-06-01, reinstatable to 2026-06-01
    with pytest.raises(services.CeError) as refused:
        cycles.record_renewal(db, cert, date(2026, 6, 2), TODAY)
    assert "exam" in refused.value.fields["renewed_on"]
    cycle = cycles.record_renewal(db, cert, date(2026, 5, 1), TODAY)
    assert (cycle.requirement_met, cert.cycle_start, cert.expires_on) == (False, date(2026, 5, 1), date(2028, 5, 1))


def test_converting_a_provisional_certification_allows_renewal(db, user):
    cert = _cert(db, user, cycle_start=date(2026, 1, 5), provisional=True, test_date=date(2026, 1, 5))
    assert cert.expires_on == date(2027, 1, 5)
    assert cycles.certification_status(db, cert, TODAY).state == "provisional"
    services.update_certification(
        db,
        cert,
        number="C1",
        cycle_start=date(2026, 1, 5),
        expires_on=date(2028, 1, 5),
        provisional=False,
        test_date=date(2026, 1, 5),
        credentials_held=None,
        today=TODAY,
    )
    assert cycles.certification_status(db, cert, TODAY).state in {"on-track", "behind-pace"}


def test_csv_export_quotes_formulas_and_lists_applications(db, user):
    cert = _cert(db, user)
    _activity(db, user, [cert], title='=HYPERLINK("http://evil")', notes="+1 note")
    text = exports.activities_csv(db, user)
    lines = text.splitlines()
    assert lines[0] == ",".join(exports.CSV_COLUMNS)
    assert "'=HYPERLINK" in lines[1] and "'+1 note" in lines[1] and "CMAA C1" in lines[1]


def test_packet_of_a_closed_cycle_uses_what_it_counted(db, user):
    cert = _cert(db, user)
    activity = _activity(db, user, [cert], contact_hours=Decimal("21"))
    certificates.attach_certificate(db, DatabaseStorage(db), activity, ce_files.png(), "c.png")
    cycle = cycles.record_renewal(db, cert, date(2026, 11, 1), TODAY)
    current = zipfile.ZipFile(io.BytesIO(exports.audit_packet(db, DatabaseStorage(db), cert, TODAY).data))
    closed = zipfile.ZipFile(io.BytesIO(exports.audit_packet(db, DatabaseStorage(db), cert, TODAY, cycle).data))
    assert [n for n in current.namelist() if n.startswith("certificates/")] == []
    assert [n for n in closed.namelist() if n.startswith("certificates/")] == [
        f"certificates/2025-06-01-activity{activity.id}-1-c.png"
    ]
    assert db.query(CeApplication).one().counted_amount == Decimal("10.50")
