"""HTTP responses for private files: always an attachment, never sniffed, never cached."""

from __future__ import annotations

import io

from flask import Response, send_file

from prep.ce.certificates import read_certificate
from prep.models.ce import CertificateFile
from prep.storage import Storage


def private_attachment(data: bytes, mimetype: str, filename: str) -> Response:
    """`data` as a download named `filename` (RFC 6266 encoding), safe from content sniffing."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def certificate_download(storage: Storage, file: CertificateFile) -> Response:
    """The certificate's bytes (SHA-256 verified) with its detected type and display name."""
    return private_attachment(read_certificate(storage, file), file.content_type, file.filename)
