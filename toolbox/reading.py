"""Reading an uploaded document, bounded in every way a crafted file could stretch it.

This module imports nothing from Django: toolbox.documents runs it as a child process
(`python -I reading.py MEMORY SECONDS`, the file on stdin, a JSON answer on stdout) under
an address-space, CPU-time and no-file-writes limit, so whatever PDFium, pypdf or expat
make of a hostile file, the worst is a child killed and the file refused. Inside the
limits the work is bounded too:

- a PDF gives the text of at most MAX_PAGES pages and MAX_TEXT_CHARS characters, and a
  first-page preview of at most PREVIEW_PIXELS pixels whatever the page's size; one that
  claims more than MAX_PAGE_COUNT pages, or whose first page is a sliver, is refused;
- a PDF with JavaScript, a launch action, or an action run on opening it or on a page,
  field or annotation event (/OpenAction as an action, /AA) is refused: the toolbox hands
  documents to caseworkers, who should not have to trust them;
- an office package (DOCX, XLSX, ODT, ODS) is refused when it has more than MAX_MEMBERS
  members or any member unpacks to more than MAX_MEMBER_BYTES (as its directory says,
  and as read); its XML is streamed through expat, never built into a tree, with no
  DOCTYPE (so no entities) and at most MAX_ELEMENTS elements.

The answer is {"kind", "pages", "text", "preview" (base64 PNG or null)} or {"refused":
reason}, a reason being one of REASONS. Run with a third argument `check`, the child only
checks the file (check(): its type, its package directory, a PDF's actions), quickly
enough for the upload form; the reading proper is a task (toolbox.tasks).
"""

import base64
import io
import json
import math
import re
import sys
import zipfile

MAX_PAGES = 300  # pages whose text is read; the rest are counted, not read
MAX_PAGE_COUNT = 10_000  # more is a page tree repeating itself, not a publication
MAX_ASPECT = 20  # a first page 20 times taller than wide (or wider than tall) is no page
MAX_TEXT_CHARS = 300_000  # about 150 pages of text: enough to find a document by
PREVIEW_WIDTH = 360  # pixels; shown at half that, sharp on a phone's screen
PREVIEW_PIXELS = PREVIEW_WIDTH * PREVIEW_WIDTH * 2  # a page twice as tall as it is wide
MAX_MEMBERS = 5_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_ELEMENTS = 1_000_000  # a 500-page Word file has about a tenth of that
MAX_PDF_OBJECTS = 500_000
CHUNK = 64 * 1024

REASONS = ("not_document", "damaged", "too_large", "scripts")

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
# Actions a PDF viewer runs or opens outside the document.
SCRIPT_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/Rendition", "/SubmitForm"}


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read(data: bytes) -> dict:
    """What `data` is, as the answer described above (raises Refused)."""
    if data.startswith(b"%PDF-"):
        return _read_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _read_package(data)
    raise Refused("not_document")


def check(data: bytes) -> dict:
    """What `data` is, by the checks that need no reading of its pages or parts: the
    answer above with no pages, text or preview (raises Refused)."""
    if data.startswith(b"%PDF-"):
        _refuse_scripts(data)
        return {"kind": "pdf", "pages": None, "text": "", "preview": None}
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                kind = _kind(package, _directory(package))
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            raise Refused("not_document") from None
        return {"kind": kind, "pages": None, "text": "", "preview": None}
    raise Refused("not_document")


# PDF


def _read_pdf(data: bytes) -> dict:
    _refuse_scripts(data)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise Refused("damaged") from None
    try:
        count = len(pdf)
        if count > MAX_PAGE_COUNT:
            raise Refused("too_large")
        texts, length = [], 0
        for index in range(min(count, MAX_PAGES)):
            if length >= MAX_TEXT_CHARS:
                break
            page = pdf[index]
            text = page.get_textpage().get_text_bounded()
            texts.append(text)
            length += len(text)
        if count:
            width, height = pdf[0].get_size()
            if max(width, height) > MAX_ASPECT * max(min(width, height), 1):
                raise Refused("too_large")
        preview = _preview(pdf[0]) if count else None
        return {"kind": "pdf", "pages": count, "text": _clean(" ".join(texts)), "preview": preview}
    except pdfium.PdfiumError:
        raise Refused("damaged") from None
    finally:
        pdf.close()


def _preview(page) -> str | None:
    """The top of the page, at most twice as tall as it is wide, as a PNG PREVIEW_WIDTH
    wide, or smaller so as to hold PREVIEW_PIXELS whatever the page's size."""
    width, height = page.get_size()
    shown = min(height, 2 * width)
    if width <= 0 or shown <= 0:
        return None
    scale = min(PREVIEW_WIDTH / width, math.sqrt(PREVIEW_PIXELS / (width * shown)))
    if width * scale < 1 or shown * scale < 1:
        return None  # a sliver of a page: nothing to show
    # crop = (left, bottom, right, top) in points trimmed away: keep the page's top.
    image = page.render(scale=scale, crop=(0, height - shown, 0, 0), may_draw_forms=False).to_pil()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode()


def _refuse_scripts(data: bytes) -> None:
    """Refuse a PDF with an action a viewer would run by itself or that leaves the file."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Refused("damaged")  # password-protected: nobody can read it here either
        catalog = reader.trailer["/Root"].get_object()
        opening = catalog.get("/OpenAction")
        if opening is not None and not isinstance(opening.get_object(), ArrayObject):
            raise Refused("scripts")  # an action, not just "open at this page"
        numbers = [
            (number, generation)
            for generation, objects in reader.xref.items()
            for number in objects
        ] + [(number, 0) for number in reader.xref_objStm]
        if len(numbers) > MAX_PDF_OBJECTS:
            raise Refused("too_large")
        for number, generation in numbers:
            try:
                found = IndirectObject(number, generation, reader).get_object()
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
                continue
            if _scripted(found, DictionaryObject, ArrayObject):
                raise Refused("scripts")
        names = catalog.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            raise Refused("scripts")
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise Refused("damaged") from None


def _scripted(value, dictionary, array, depth=0) -> bool:
    """Whether `value` or a dictionary written inside it (not one it refers to: every
    object is looked at on its own) is a script, a launch or an automatic action."""
    if depth > 32:
        raise Refused("too_large")  # nesting no PDF writer makes
    if isinstance(value, dictionary):
        if "/JS" in value or "/AA" in value or value.get("/S") in SCRIPT_ACTIONS:
            return True
        inner = value.values()
    elif isinstance(value, array):
        inner = value
    else:
        return False
    return any(_scripted(item, dictionary, array, depth + 1) for item in inner)


# Office packages


def _read_package(data: bytes) -> dict:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            kind = _kind(package, _directory(package))
            words = []
            for name in TEXT_PARTS[kind]:
                try:
                    part = package.open(name)
                except KeyError:
                    continue  # a spreadsheet of numbers only has no shared strings
                with part:
                    words += _xml_words(part)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        raise Refused("not_document") from None
    return {"kind": kind, "pages": None, "text": _clean(" ".join(words)), "preview": None}


def _directory(package: zipfile.ZipFile) -> set[str]:
    """The members' names, once their number and unpacked sizes (as the directory says)
    are within bounds."""
    members = package.infolist()
    if len(members) > MAX_MEMBERS or any(member.file_size > MAX_MEMBER_BYTES for member in members):
        raise Refused("too_large")
    return {member.filename for member in members}


def _kind(package: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        with package.open("mimetype") as member:
            kind = OPENDOCUMENT.get(member.read(100).strip())
    elif "[Content_Types].xml" in names and "word/document.xml" in names:
        kind = "docx"
    elif "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        kind = "xlsx"
    else:
        kind = None
    if kind is None:
        raise Refused("not_document")
    return kind


def _xml_words(stream) -> list[str]:
    """The text pieces of an XML part, element by element, streamed with expat."""
    import pyexpat

    words, pending = [], []
    state = {"elements": 0, "chars": 0}

    def flush(*_):
        piece = "".join(pending)
        pending.clear()
        if piece.strip() and state["chars"] < MAX_TEXT_CHARS:
            words.append(piece)
            state["chars"] += len(piece)

    def start(*_):
        state["elements"] += 1
        if state["elements"] > MAX_ELEMENTS:
            raise Refused("too_large")
        flush()

    def refuse_doctype(*_):
        raise Refused("not_document")  # office XML has none; entities are a bomb's tool

    parser = pyexpat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = flush
    parser.CharacterDataHandler = pending.append
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    read = 0
    try:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > MAX_MEMBER_BYTES:
                raise Refused("too_large")
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except pyexpat.ExpatError:
        raise Refused("not_document") from None
    return words


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\x00", "")).strip()[:MAX_TEXT_CHARS]


def main() -> None:
    """The child process: limit this process, read stdin, answer on stdout."""
    import resource

    memory, seconds = int(sys.argv[1]), int(sys.argv[2])
    work = check if sys.argv[3:] == ["check"] else read
    data = sys.stdin.buffer.read()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    try:
        answer = work(data)
    except Refused as refused:
        answer = {"refused": refused.reason}
    except MemoryError:
        answer = {"refused": "too_large"}
    except RecursionError:
        answer = {"refused": "damaged"}
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
