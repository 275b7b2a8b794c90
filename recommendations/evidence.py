"""What an evidence document must be before it is stored: its type told from its content, never
from its name or the browser's word; its size; a clean name; its SHA-256 digest.

Accepted: PDF, PNG and JPEG (by their first bytes), and the Office formats that are ZIP packages
(DOCX, XLSX, ODT, ODS), identified by what the package says it holds ([Content_Types].xml, or
the OpenDocument `mimetype` entry) after the whole package has been read once, within limits, so
that a zip bomb, a package holding another archive or program, or a macro-enabled file is refused.
Anything else (executables, archives, legacy .doc/.xls, text) is refused with a message naming
what is accepted.

Nothing here writes: `document_check` reads an uploaded file and returns a `CheckedDocument` or
raises `DocumentRefused` with a message for the person; `services.status_update_save` stores it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MEGABYTE = 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * MEGABYTE
MAX_ANSWER_DOCUMENTS = 20
MAX_ANSWER_DOCUMENTS_BYTES = 100 * MEGABYTE
# A package's parts, unpacked, may be this large in all, and no part may be more than this many
# times its packed size: a genuine Office file is far inside both; a zip bomb is far outside.
MAX_UNPACKED_BYTES = 200 * MEGABYTE
MAX_RATIO = 100
MAX_ENTRIES = 5_000
NAME_MAX_CHARACTERS = 150
HASH_CHUNK = 64 * 1024

ACCEPTED = "PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG"


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str
    other_extensions: tuple[str, ...] = ()


PDF = Kind("PDF", "application/pdf", "pdf")
PNG = Kind("PNG image", "image/png", "png")
JPEG = Kind("JPEG image", "image/jpeg", "jpg", ("jpeg",))
DOCX = Kind("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = Kind("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = Kind("OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
ODS = Kind("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", "ods")
KINDS = {kind.content_type: kind for kind in (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS)}

# The main part of an Office Open XML package, as [Content_Types].xml names it.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# First bytes of what must never be inside a document: another archive or Office package, an OLE
# container (old Office files, embedded objects, vbaProject.bin), a program.
PACKED_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"7z\xbc\xaf", b"Rar!", b"\x1f\x8b", b"MZ", b"\x7fELF")

EMPTY = "The selected file is empty"
TOO_LARGE = f"The selected file must be smaller than {MAX_DOCUMENT_BYTES // MEGABYTE} MB"
NOT_ACCEPTED = (
    f"The selected file must be a {ACCEPTED}. Other types of file, such as programs and archives, are not accepted"
)
MACROS = (
    "The selected file contains macros, which are not accepted. Save it as a document without macros "
    "(.docx, .xlsx, .odt or .ods) or as a PDF"
)
DAMAGED = "The selected file is damaged or cannot be read. Save it again, or save it as a PDF"
PACKED = (
    "The selected file has another file packed inside it (an archive, program or embedded object), which is "
    "not accepted. Save it without embedded files, or as a PDF"
)
BOMB = "The selected file unpacks to far more than its size, which is not accepted. Save it again, or as a PDF"


class DocumentRefused(Exception):
    """The file is not an evidence document this service accepts; the message says why, for the person."""


@dataclass(frozen=True)
class CheckedDocument:
    """An uploaded file that passed every check: what it is, its digest and size, and its clean name."""

    file: object  # the uploaded file, rewound
    kind: Kind
    sha256: str
    size: int
    name: str


def document_check(upload, name: str | None = None) -> CheckedDocument:
    """Check an uploaded file (a Django UploadedFile, spooled to disk when large): its size, its type
    from its content, and for a package every part within limits; digest it in chunks."""
    size = upload.size
    if not size:
        raise DocumentRefused(EMPTY)
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(TOO_LARGE)
    upload.seek(0)
    kind = _kind(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks(HASH_CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return CheckedDocument(
        file=upload, kind=kind, sha256=digest.hexdigest(), size=size, name=clean_file_name(name or upload.name, kind)
    )


def _kind(upload) -> Kind:
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        return _package_kind(upload)
    raise DocumentRefused(NOT_ACCEPTED)


def _package_kind(upload) -> Kind:
    try:
        with zipfile.ZipFile(upload) as package:
            entries = package.infolist()
            _package_limits(entries)
            names = {entry.filename for entry in entries}
            kind = _declared_kind(package, names)
            _package_read(package, entries)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        raise DocumentRefused(DAMAGED) from None
    return kind


def _package_limits(entries) -> None:
    if len(entries) > MAX_ENTRIES:
        raise DocumentRefused(BOMB)
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise DocumentRefused(BOMB)
    for entry in entries:
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > MEGABYTE:
            raise DocumentRefused(BOMB)
        if entry.flag_bits & 0x1:  # encrypted: its parts cannot be checked
            raise DocumentRefused(DAMAGED)


def _declared_kind(package: zipfile.ZipFile, names: set[str]) -> Kind:
    """What the package says it is; macro-enabled packages refused whatever they claim."""
    if any(name.lower().endswith("vbaproject.bin") or name.lower().endswith("vbadata.xml") for name in names):
        raise DocumentRefused(MACROS)
    if "mimetype" in names:
        # OpenDocument: macros live under Basic/ or Scripts/.
        if any(name.startswith(("Basic/", "Scripts/")) for name in names):
            raise DocumentRefused(MACROS)
        declared = package.read("mimetype")[:100].decode("ascii", "replace").strip()
        if declared in (ODT.content_type, ODS.content_type):
            return KINDS[declared]
        raise DocumentRefused(NOT_ACCEPTED)
    if "[Content_Types].xml" in names:
        info = package.getinfo("[Content_Types].xml")
        if info.file_size > MEGABYTE:
            raise DocumentRefused(DAMAGED)
        try:
            root = ElementTree.fromstring(package.read(info), forbid_dtd=True)
        except (ElementTree.ParseError, DefusedXmlException):
            raise DocumentRefused(DAMAGED) from None
        declared = {element.get("ContentType", "") for element in root.iter() if element.get("ContentType")}
        if any("macroenabled" in value.lower() or "vbaproject" in value.lower() for value in declared):
            raise DocumentRefused(MACROS)
        kinds = {OOXML_MAIN_PARTS[value] for value in declared if value in OOXML_MAIN_PARTS}
        if len(kinds) == 1:
            return kinds.pop()
    raise DocumentRefused(NOT_ACCEPTED)


def _package_read(package: zipfile.ZipFile, entries) -> None:
    """Read every part once, in chunks (checking each part's CRC and that no part is another archive,
    an OLE container or a program), stopping at the unpacked limit whatever the headers claim."""
    total = 0
    for entry in entries:
        if entry.is_dir():
            continue
        with package.open(entry) as part:
            first = part.read(8)
            if first.startswith(PACKED_SIGNATURES):
                raise DocumentRefused(PACKED)
            total += len(first)
            while chunk := part.read(HASH_CHUNK):
                total += len(chunk)
                if total > MAX_UNPACKED_BYTES:
                    raise DocumentRefused(BOMB)


_UNSAFE = re.compile(r'[<>:"|?*]')


def clean_file_name(name: str, kind: Kind) -> str:
    """The name as shown and downloaded: its last path component only, without control, format
    (direction-changing) or unassigned characters, and ending in the extension of what the file is."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] not in "CZ" or char == " ")
    name = _UNSAFE.sub("_", re.sub(r"\s+", " ", name)).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or extension.lower() not in (kind.extension, *kind.other_extensions):
        stem = name
    stem = stem[:NAME_MAX_CHARACTERS].strip(" .") or "document"
    return f"{stem}.{kind.extension}"


def answer_documents_problem(*, sizes: list[int]) -> str | None:
    """Whether an answer may hold documents of these sizes: at most so many, and so much in all."""
    if len(sizes) > MAX_ANSWER_DOCUMENTS:
        return f"An answer can have at most {MAX_ANSWER_DOCUMENTS} documents. Remove one before you add another"
    if sum(sizes) > MAX_ANSWER_DOCUMENTS_BYTES:
        return (
            f"An answer's documents must be smaller than {MAX_ANSWER_DOCUMENTS_BYTES // MEGABYTE} MB in all. "
            "Remove one, or attach a smaller file"
        )
    return None


def storage_name(sha256: str) -> str:
    """Where a document's content is stored: by its digest, so the same file is stored once."""
    return f"documents/{sha256[:2]}/{sha256}"


def size_label(size: int) -> str:
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
