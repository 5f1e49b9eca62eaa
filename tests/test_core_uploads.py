"""Certificate files are judged by content: a table of genuine and disguised files, and names."""

import pytest

from prep.core.uploads import (
    JPEG,
    MAX_CERTIFICATE_BYTES,
    PDF,
    PNG,
    UploadRefused,
    display_filename,
    filename_problem,
    sniff_certificate,
)
from tests import ce_files


@pytest.mark.parametrize(
    ("data", "kind"),
    [(ce_files.PDF, PDF), (ce_files.png(), PNG), (ce_files.jpeg(), JPEG), (ce_files.image("PNG", (2000, 1500)), PNG)],
)
def test_genuine_files_are_recognised(data, kind):
    assert sniff_certificate(data) == kind


@pytest.mark.parametrize(
    ("data", "words", "too_large"),
    [
        (b"", "empty", False),
        (ce_files.HTML, "markup", False),
        (ce_files.SVG, "markup", False),
        (b"<svg onload=alert(1)>", "markup", False),
        (ce_files.EXE, "not a PDF, PNG or JPEG", False),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "not a PDF, PNG or JPEG", False),
        (b"PK\x03\x04" + b"\x00" * 50, "not a PDF, PNG or JPEG", False),
        (b"GIF89a" + b"\x00" * 50, "not a PDF, PNG or JPEG", False),
        (b" %PDF-1.4\n", "not a PDF, PNG or JPEG", False),  # %PDF- not at the very start
        (ce_files.POLYGLOT_HTML_PDF, "markup", False),
        (ce_files.PDF_WITH_SCRIPT_TAG, "markup", False),
        (ce_files.PDF_WITH_JAVASCRIPT, "scripts", False),
        (
            ce_files.PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >>"),
            "launch",
            False,
        ),
        (ce_files.png_with_appended_html(), "markup", False),
        (ce_files.png() + b"PK\x03\x04 appended zip", "appended", False),
        (ce_files.png()[:40], "damaged", False),
        (ce_files.jpeg() + b"PK\x03\x04 appended zip", "appended", False),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00IEND\xaeB`\x82", "damaged", False),  # no IHDR first
        (b"%PDF-" + b"0" * MAX_CERTIFICATE_BYTES, "10 MB", True),
    ],
)
def test_disguised_damaged_and_oversize_files_are_refused(data, words, too_large):
    with pytest.raises(UploadRefused) as refused:
        sniff_certificate(data)
    assert words in refused.value.message
    assert refused.value.too_large is too_large


def test_the_limit_is_inclusive():
    data = ce_files.PDF + b"0" * (MAX_CERTIFICATE_BYTES - len(ce_files.PDF))
    assert len(data) == MAX_CERTIFICATE_BYTES
    assert sniff_certificate(data) == PDF


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("certificate.pdf", False),
        ("Zertifikat für Müller.pdf", False),
        ("../../etc/passwd", True),
        ("..\\boot.ini", True),
        ("/etc/passwd.pdf", True),
        ("..hidden.pdf", True),
        ("cert\x00.pdf", True),
        ("line\nbreak.pdf", True),
        ("x" * 300 + ".pdf", True),
    ],
)
def test_crafted_filenames_are_refused(name, refused):
    assert (filename_problem(name) is not None) is refused


@pytest.mark.parametrize(
    ("name", "kind", "shown"),
    [
        ("certificate.pdf", PDF, "certificate.pdf"),
        ("scan.JPG", JPEG, "scan.jpg"),
        ("photo.pdf", PNG, "photo.png"),  # the detected kind wins over the name
        ("My cert (final).pdf", PDF, "My cert (final).pdf"),
        ("<script>.pdf", PDF, "script.pdf"),
        ("", PDF, "certificate.pdf"),
        (None, PNG, "certificate.png"),
        ("...", PDF, "certificate.pdf"),
        ("a" * 300 + ".pdf", PDF, "a" * 100 + ".pdf"),
        ("Zertifikat für Müller.pdf", PDF, "Zertifikat für Müller.pdf"),
    ],
)
def test_display_names_are_sanitised(name, kind, shown):
    assert display_filename(name, kind) == shown
