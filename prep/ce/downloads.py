"""Certificate downloads (see prep.downloads for the response rules)."""

from __future__ import annotations

from flask import Response

from prep.ce.certificates import read_certificate
from prep.downloads import private_attachment
from prep.models.ce import CertificateFile
from prep.storage import Storage


def certificate_download(storage: Storage, file: CertificateFile) -> Response:
    """The certificate's bytes (SHA-256 verified) with its detected type and display name."""
    return private_attachment(read_certificate(storage, file), file.content_type, file.filename)
