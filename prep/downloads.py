"""HTTP responses for private downloads: always an attachment, never sniffed, never cached."""

from __future__ import annotations

import io

from flask import Response, send_file


def private_attachment(data: bytes | str, mimetype: str, filename: str) -> Response:
    """`data` as a download named `filename` (RFC 6266 encoding), safe from content sniffing."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
