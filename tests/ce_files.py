"""Sample certificate files for CE tests: real PDF/PNG/JPEG bytes and disguised attacks."""

from __future__ import annotations

import io

from PIL import Image

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def image(kind: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def png() -> bytes:
    return image("PNG")


def jpeg() -> bytes:
    return image("JPEG")


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode"
)
# A PDF reader accepts %PDF- within the first kilobyte; a browser sees HTML: a classic polyglot.
POLYGLOT_HTML_PDF = b"<html><!--\n" + PDF + b"--><script>alert(1)</script></html>"
PDF_WITH_SCRIPT_TAG = PDF.replace(b"%%EOF", b"% <script>alert(1)</script>\n%%EOF")
PDF_WITH_JAVASCRIPT = PDF.replace(
    b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
)


def png_with_appended_html() -> bytes:
    return png() + b"<html><script>alert(1)</script></html>"


def oversize_pdf() -> bytes:
    return PDF + b"0" * (10 * 1024 * 1024)
