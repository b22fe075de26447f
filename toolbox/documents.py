"""Documents as the toolbox takes them: the type read from the content (never the name)
and the cheap checks on upload (check()), then the page count, the text to search and a
first-page preview read by a task (read(), from toolbox.tasks), all with no network.

The reading itself is toolbox.reading, run in a child process under a memory and CPU-time
limit (DOCUMENT_READ_MEMORY, DOCUMENT_READ_SECONDS) with a wall-clock timeout, so a crafted
file (a page miles tall, a page tree claiming a million pages, a flood of XML elements, a
ZIP member that unpacks to gigabytes) costs a worker at most that, and is refused.
"""

import base64
import json
import subprocess
import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import reading

# kind → (label, extension, content type)
KINDS = {
    "pdf": ("PDF", "pdf", "application/pdf"),
    "docx": (
        "Word (DOCX)",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "Excel (XLSX)",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "odt": ("OpenDocument (ODT)", "odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("OpenDocument (ODS)", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
}
NOT_A_DOCUMENT = _("Upload a PDF, DOCX, ODT, XLSX or ODS file; this file is not one.")
DAMAGED_PDF = _("This PDF cannot be opened: it is damaged or password-protected.")
REFUSALS = {
    "not_document": NOT_A_DOCUMENT,
    "damaged": DAMAGED_PDF,
    "too_large": _(
        "This file is too large or too complex to be read: it unpacks to too much, or has too "
        "many parts. Save it again (for example as PDF) and upload that."
    ),
    "scripts": _(
        "This PDF contains JavaScript or actions that run when it is opened. Save it again "
        "without them (for example by printing it to PDF) and upload that."
    ),
}


class NotADocument(Exception):
    """The content is none of the accepted types, or cannot be read as the one it claims."""

    def __init__(self, message=NOT_A_DOCUMENT, reason="not_document"):
        super().__init__(message)
        self.message = message
        self.reason = reason  # one of REFUSALS, kept by an item that failed to read


@dataclass
class Document:
    kind: str
    pages: int | None
    text: str
    preview: bytes | None  # a PNG of the first page (PDFs)

    @property
    def extension(self) -> str:
        return KINDS[self.kind][1]


def reader_command(*mode: str) -> list[str]:
    return [
        sys.executable,
        "-I",  # no environment variables, no user site, not the working directory
        reading.__file__,
        str(settings.DOCUMENT_READ_MEMORY),
        str(settings.DOCUMENT_READ_SECONDS),
        *mode,
    ]


def read(data: bytes) -> Document:
    """The document in `data`, read in a bounded child process, or NotADocument."""
    return _in_child(data, reader_command())


def check(data: bytes) -> Document:
    """The document in `data` as the upload form checks it (its type, its package's
    directory, a PDF's actions: no pages or text read), in the bounded child process, or
    NotADocument. Its pages, text and preview are left to read()."""
    return _in_child(data, reader_command("check"))


def _in_child(data: bytes, command: list[str]) -> Document:
    try:
        child = subprocess.run(
            command,
            input=data,
            capture_output=True,
            env={},  # the portal's secrets stay out of the reader's reach
            timeout=settings.DOCUMENT_READ_SECONDS + 1,  # CPU time is limited; this is waiting
            check=False,
        )
        answer = json.loads(child.stdout) if child.returncode == 0 else {"refused": "too_large"}
    except (subprocess.TimeoutExpired, ValueError):
        answer = {"refused": "too_large"}  # killed at a limit, or nothing sensible said
    return from_answer(answer)


def read_here(data: bytes) -> Document:
    """The document in `data` read in this process: only for files the portal made itself
    (the demo's), never for an upload."""
    try:
        return from_answer(reading.read(data))
    except reading.Refused as refused:
        return from_answer({"refused": refused.reason})


def from_answer(answer: dict) -> Document:
    if "refused" in answer:
        reason = answer["refused"] if answer["refused"] in REFUSALS else "not_document"
        raise NotADocument(REFUSALS[reason], reason)
    if answer.get("kind") not in KINDS:
        raise NotADocument
    preview = answer.get("preview")
    return Document(
        kind=answer["kind"],
        pages=answer.get("pages"),
        text=str(answer.get("text") or "")[: reading.MAX_TEXT_CHARS],
        preview=base64.b64decode(preview) if preview else None,
    )
