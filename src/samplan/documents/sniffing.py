"""What a file is, read from its content — never from its name or the browser's claim.

Only the types a caseworker needs are accepted: PDF, PNG, JPEG, GIF, the Office Open XML
formats (.docx/.xlsx/.pptx: a ZIP whose ``[Content_Types].xml`` names the main part) and
the old binary Office formats (.doc/.xls/.ppt: an OLE2 compound file holding the program's
stream). Everything else — executables, HTML, scripts, other ZIPs, macro-enabled Office
files — is ``None``. The standard library is enough: python-magic needs libmagic, and the
checks here are the few a well-tested table needs, no more.
"""

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class FileType:
    key: str  # short name, also the extension of the safe download name
    content_type: str
    label: str  # Danish, for the screen
    inline: bool = False  # shown in the browser (PDF and images); the rest is downloaded


PDF = FileType("pdf", "application/pdf", "PDF", inline=True)
PNG = FileType("png", "image/png", "PNG-billede", inline=True)
JPEG = FileType("jpg", "image/jpeg", "JPEG-billede", inline=True)
GIF = FileType("gif", "image/gif", "GIF-billede", inline=True)
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word-dokument")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel-regneark")
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint-præsentation")
DOC = FileType("doc", "application/msword", "Word-dokument (gammelt format)")
XLS = FileType("xls", "application/vnd.ms-excel", "Excel-regneark (gammelt format)")
PPT = FileType("ppt", "application/vnd.ms-powerpoint", "PowerPoint-præsentation (gammelt format)")

ALL_TYPES = (PDF, PNG, JPEG, GIF, DOCX, XLSX, PPTX, DOC, XLS, PPT)
BY_KEY = {t.key: t for t in ALL_TYPES}
BY_CONTENT_TYPE = {t.content_type: t for t in ALL_TYPES}

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"

# The main part of each OOXML format, as [Content_Types].xml names it; the macro-enabled
# variants (…macroEnabled.main+xml) are deliberately absent.
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (DOCX, "word/"),
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (XLSX, "xl/"),
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (PPTX, "ppt/"),
}
_CONTENT_TYPES_MAX = 1024 * 1024  # [Content_Types].xml is a few KB; never inflate more

# The stream each binary Office program writes, as UTF-16LE in the compound file's directory.
_OLE2_STREAMS = (
    ("WordDocument".encode("utf-16-le"), DOC),
    ("Workbook".encode("utf-16-le"), XLS),
    ("Book".encode("utf-16-le"), XLS),  # Excel 5/95
    ("PowerPoint Document".encode("utf-16-le"), PPT),
)


def sniff(stream: BinaryIO) -> FileType | None:
    """The allowed type of the file's content, or None. The stream is read from the start
    and left at the start."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith((b"GIF87a", b"GIF89a")):
            return GIF
        if head.startswith(ZIP_SIGNATURE):
            return _ooxml(stream)
        if head.startswith(OLE2_SIGNATURE):
            return _ole2(stream)
        return None
    finally:
        stream.seek(0)


def _ooxml(stream: BinaryIO) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                return None
            content_types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError, NotImplementedError):
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macros: not accepted, whatever the content types say
    for main, (file_type, folder) in _OOXML_MAIN.items():
        if main in content_types and any(name.startswith(folder) for name in names):
            return file_type
    return None


def _ole2(stream: BinaryIO) -> FileType | None:
    # The directory entries may lie anywhere in the file; the upload is bounded in size
    # (SAMPLAN_UPLOAD_MAX_MB), so searching it whole is cheap and exact enough.
    data = stream.read()
    for marker, file_type in _OLE2_STREAMS:
        if marker in data:
            return file_type
    return None


def sniff_bytes(data: bytes) -> FileType | None:
    return sniff(io.BytesIO(data))
