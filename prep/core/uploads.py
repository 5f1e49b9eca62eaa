"""Which uploaded certificate files are accepted: decided by content, never by name or type.

A certificate is a PDF (starts with `%PDF-`), a PNG (its 8-byte signature, chunks that end
with IEND and nothing after) or a JPEG (FF D8 FF ... FF D9), at most 10 MB. Anything that looks
like markup (HTML, SVG, a `<script`) anywhere in the file, a PDF carrying JavaScript or a launch
action, and every other kind of file (executables renamed .pdf, archives, text) is refused.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import dataclass

MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Markup tags searched in the whole file are long enough never to occur by chance in compressed
# image data; shorter ones (`<svg`, `<body`, ...) only in the first kilobyte.
_MARKUP = re.compile(rb"<(script|html|iframe|!doctype|object|embed)\b", re.IGNORECASE)
_MARKUP_HEAD = re.compile(rb"<(svg|body|head|meta|img)\b", re.IGNORECASE)
HEAD_BYTES = 1024
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
_UNSAFE_NAME_CHARS = re.compile(r"[^\w .()+-]+")


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", "pdf")
PNG = FileKind("image/png", "png")
JPEG = FileKind("image/jpeg", "jpg")
ACCEPTED = "PDF, PNG or JPEG"


class UploadRefused(ValueError):
    """A refused file; `too_large` tells the caller to answer 413 rather than 400."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.message = message
        self.too_large = too_large


def _png_is_well_formed(data: bytes) -> bool:
    position = len(PNG_SIGNATURE)
    first = True
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if first and kind != b"IHDR":
            return False
        first = False
        position += 12 + length
        if kind == b"IEND":
            return position == len(data)
    return False


def _jpeg_is_well_formed(data: bytes) -> bool:
    return data.rstrip(b"\x00").endswith(b"\xff\xd9")


def sniff_certificate(data: bytes) -> FileKind:
    """The kind of an acceptable certificate file, or UploadRefused with a message for the user."""
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise UploadRefused("The file is larger than 10 MB. Scan or export it at a lower resolution.", too_large=True)
    if _MARKUP.search(data) or _MARKUP_HEAD.search(data, 0, HEAD_BYTES):
        raise UploadRefused(f"The file contains web page markup (HTML, SVG or script). Upload a {ACCEPTED} file.")
    if data.startswith(b"%PDF-"):
        if _PDF_ACTIVE.search(data):
            raise UploadRefused(
                "The PDF contains scripts, attachments or launch actions. Print it to a new PDF and upload that."
            )
        return PDF
    if data.startswith(PNG_SIGNATURE):
        if not _png_is_well_formed(data):
            raise UploadRefused("The PNG image is damaged or has data appended to it.")
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        if not _jpeg_is_well_formed(data):
            raise UploadRefused("The JPEG image is damaged or has data appended to it. Save it again as a plain JPEG.")
        return JPEG
    raise UploadRefused(f"The file is not a {ACCEPTED} file (checked by its content, not its name).")


def filename_problem(client_name: str | None) -> str | None:
    """A message when the client's filename is crafted (a path, control characters), else None.

    Browsers send a bare name; a name with a directory part or control characters is refused.
    The name never reaches storage either way (keys are random).
    """
    name = client_name or ""
    if "/" in name or "\\" in name or name.startswith("..") or any(unicodedata.category(c) == "Cc" for c in name):
        return "The file name must not contain a folder path or control characters. Rename the file and try again."
    if len(name) > 255:
        return "The file name is too long. Rename the file and try again."
    return None


def display_filename(client_name: str | None, kind: FileKind) -> str:
    """A safe name to show and to offer on download; never used to store anything.

    Keeps the last path component only, drops control and unusual characters, shortens it and
    gives it the extension of the detected kind.
    """
    name = unicodedata.normalize("NFC", client_name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" ._")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" ._")[:100] or "certificate"
    return f"{stem}.{kind.extension}"
