"""CE tracker in a real Chromium: add a CMAA certification, log an activity with its certificate,
see the status, have a disguised file refused, and download the audit packet. Every page is audited.
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date, timedelta

import pytest

from tests import ce_files
from tests.browser.actions import new_email, register

pytestmark = pytest.mark.browser


def test_from_a_cmaa_certification_to_an_audit_packet(site):
    page = site.page
    today = date.today()
    cycle_start = today - timedelta(days=200)
    register(site, new_email("ce"), name="Rosa Diaz")

    with site.navigation():
        page.get_by_role("link", name="Credentials").click()
    assert site.path == "/ce/"
    with site.navigation():
        page.get_by_role("link", name="Add a certification").click()

    with site.navigation(status=422):
        page.get_by_role("button", name="Save certification").click()
    assert page.locator("#credential-error").is_visible()

    page.get_by_label("Credential", exact=True).select_option("nha-cmaa")
    page.get_by_label("Certificate number").fill("CMAA-2025-0042")
    page.get_by_label("Cycle start").fill(cycle_start.isoformat())
    with site.navigation():
        page.get_by_role("button", name="Save certification").click()
    assert page.get_by_role("heading", level=1).inner_text() == "CMAA CMAA-2025-0042"
    expires = (
        cycle_start.replace(year=cycle_start.year + 2) if (cycle_start.month, cycle_start.day) != (2, 29) else None
    )
    if expires:
        assert expires.isoformat() in page.locator(".status-box").inner_text()

    with site.navigation():
        page.get_by_role("link", name="Log a CE activity").click()
    assert page.get_by_label("CMAA CMAA-2025-0042").is_checked()
    page.get_by_label("Title", exact=True).fill("HIPAA privacy refresher")
    page.get_by_label("Provider", exact=True).fill("Acme Continuing Education")
    page.get_by_label("Completion date").fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("Amount", exact=True).fill("2")
    page.get_by_label("The amount is in").select_option("nha-cmaa")
    page.get_by_label("Format").select_option("online")
    page.get_by_label("Certificate file (optional)").set_input_files(
        files=[{"name": "hipaa-certificate.pdf", "mimeType": "application/pdf", "buffer": ce_files.PDF}]
    )
    with site.navigation():
        page.get_by_role("button", name="Save activity").click()
    assert page.get_by_role("heading", level=1).inner_text() == "HIPAA privacy refresher"
    assert page.get_by_role("link", name="hipaa-certificate.pdf").is_visible()

    page.get_by_label("Certificate file", exact=True).set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": ce_files.HTML}]
    )
    with site.navigation(status=400):
        page.get_by_role("button", name="Upload").click()
    assert "web page markup" in page.locator("#certificate-error").inner_text()
    assert page.get_by_role("link", name="invoice.pdf").count() == 0

    with site.navigation():
        page.get_by_role("link", name="Credentials").click()
    with site.navigation():
        page.get_by_role("link", name="CMAA CMAA-2025-0042").click()
    status = page.locator(".status-box").inner_text()
    assert "Earned" in status and "2 credits" in status
    assert page.get_by_role("cell", name="HIPAA privacy refresher").is_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the audit packet").click()
    download = info.value
    assert download.suggested_filename.startswith("audit-packet-nha-cmaa-")
    archive = zipfile.ZipFile(download.path())
    assert archive.read("transcript.pdf").startswith(b"%PDF")
    certificates = [n for n in archive.namelist() if n.startswith("certificates/")]
    assert len(certificates) == 1 and certificates[0].endswith("hipaa-certificate.pdf")
    for line in archive.read("manifest.sha256").decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest

    site.visit("/ce/credentials")
    assert page.get_by_role("heading", name="CMAA: Certified Medical Administrative Assistant").is_visible()
