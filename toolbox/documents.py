"""Documents as the toolbox takes them: the type read from the content (never the name),
then the page count, the text to search and a first-page preview, all made here on
upload with no network.

PDFs are read with PDFium (pypdfium2); DOCX, XLSX, ODT and ODS are ZIP packages whose XML
is read with the standard library, never more than MAX_XML_BYTES of it (a ZIP bomb stops
there).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import pypdfium2 as pdfium
from django.utils.translation import gettext_lazy as _

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
OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# Where each package keeps its text.
TEXT_PARTS = {
    "docx": ("word/document.xml",),
    "xlsx": ("xl/sharedStrings.xml",),
    "odt": ("content.xml",),
    "ods": ("content.xml",),
}
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 300_000  # about 150 pages of text: enough to find a document by
PREVIEW_WIDTH = 360  # pixels; shown at half that, sharp on a phone's screen


NOT_A_DOCUMENT = _("Upload a PDF, DOCX, ODT, XLSX or ODS file; this file is not one.")
DAMAGED_PDF = _("This PDF cannot be opened: it is damaged or password-protected.")


class NotADocument(Exception):
    """The content is none of the accepted types, or cannot be read as the one it claims."""

    def __init__(self, message=NOT_A_DOCUMENT):
        super().__init__(message)
        self.message = message


@dataclass
class Document:
    kind: str
    pages: int | None
    text: str
    preview: bytes | None  # a PNG of the first page (PDFs)

    @property
    def extension(self) -> str:
        return KINDS[self.kind][1]


def sniff(data: bytes) -> str | None:
    """The accepted kind these bytes are, by their content: "pdf", "docx", … or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        if "mimetype" in names:
            return OPENDOCUMENT.get(package.read("mimetype").strip())
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    return None


def read(data: bytes) -> Document:
    """The document in `data`, or NotADocument."""
    kind = sniff(data)
    if kind is None:
        raise NotADocument
    if kind == "pdf":
        return _read_pdf(data)
    return Document(kind=kind, pages=None, text=_package_text(data, kind), preview=None)


def _read_pdf(data: bytes) -> Document:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise NotADocument(DAMAGED_PDF) from None
    try:
        texts, length = [], 0
        for index in range(len(pdf)):
            if length >= MAX_TEXT_CHARS:
                break
            page = pdf[index]
            text = page.get_textpage().get_text_bounded()
            texts.append(text)
            length += len(text)
        first = pdf[0] if len(pdf) else None
        preview = (
            _png(first.render(scale=PREVIEW_WIDTH / first.get_width()).to_pil()) if first else None
        )
        return Document(kind="pdf", pages=len(pdf), text=_clean(" ".join(texts)), preview=preview)
    except pdfium.PdfiumError:
        raise NotADocument(DAMAGED_PDF) from None
    finally:
        pdf.close()


def _png(image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _package_text(data: bytes, kind: str) -> str:
    """The words in an office package's text parts (XML elements' text, in order)."""
    words, length = [], 0
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in TEXT_PARTS[kind]:
            try:
                with package.open(name) as part:
                    xml = part.read(MAX_XML_BYTES + 1)
            except KeyError:
                continue  # a spreadsheet of numbers only has no shared strings
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                raise NotADocument from None
            if len(xml) > MAX_XML_BYTES:
                raise NotADocument(_("This file is too large once unpacked to be read."))
            try:
                for element in ElementTree.fromstring(xml).iter():
                    if element.text and element.text.strip():
                        words.append(element.text)
                        length += len(element.text)
                    if length >= MAX_TEXT_CHARS:
                        break
            except ElementTree.ParseError:
                raise NotADocument from None
    return _clean(" ".join(words))


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\x00", "")).strip()[:MAX_TEXT_CHARS]
