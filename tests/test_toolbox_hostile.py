"""Crafted documents cannot take a worker down: each is refused within 5 s and 300 MB, with
a clear message and nothing stored, and the reader runs in a limited child process.

The files are made here, each a few hundred bytes to a few hundred kilobytes, after the
hostile review that found them (issue 21): a page 3 × 14,400 pt, a page tree claiming a
million pages, twelve million empty XML elements, a ZIP member unpacking to 400 MB, and
PDFs that run JavaScript."""

import io
import subprocess
import sys
import tempfile
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from toolbox import documents, reading
from toolbox.demo import pdf
from toolbox.models import ToolboxItem

from .test_toolbox import CREATE, form_data, refused, trusted_alice  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trusted_alice")]
SECONDS, MEMORY = 5, 300 * 1024 * 1024
TOO_LARGE = "πολύ μεγάλο ή πολύ σύνθετο"
SCRIPTS = "JavaScript"


def pdf_of(*objects: bytes) -> bytes:
    """A PDF of the numbered `objects` (1 the catalogue), its cross-reference table right."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def one_page(*, catalogue=b"", page=b"", size=b"612 792", more=()) -> bytes:
    return pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalogue,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s] %s >>" % (size, page),
        *more,
    )


def tall_page() -> bytes:
    return one_page(size=b"3 14400")


def page_tree_bomb(levels=6) -> bytes:
    """Each level lists the one below ten times: 10**levels pages from one page object."""
    nodes, below = [], 3
    for level in range(1, levels):
        kids = b" ".join([b"%d 0 R" % below] * 10)
        nodes.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, 10**level))
        below = 3 + len(nodes)
    root = b" ".join([b"%d 0 R" % below] * 10)
    return pdf_of(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (root, 10**levels),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        *nodes,
    )


def element_flood(millions=12) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w") as part:
            part.write(b"<w:document xmlns:w='w'><w:body>")
            for _ in range(millions):
                part.write(b"<a/>" * 1_000_000)
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def member_bomb(megabytes=400) -> bytes:
    """An ODT whose `mimetype` member unpacks to `megabytes` of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        with package.open("mimetype", "w", force_zip64=True) as part:
            part.write(b"application/vnd.oasis.opendocument.text")
            for _ in range(megabytes):
                part.write(b" " * 1024 * 1024)
        package.writestr("content.xml", "<x/>")
    return out.getvalue()


JAVASCRIPT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
# Found only by reading the pages or parts: the upload takes them, the reading task refuses.
CRAFTED_INSIDE = {
    "tall page": (tall_page, "pdf", TOO_LARGE),
    "page-tree bomb": (page_tree_bomb, "pdf", TOO_LARGE),
    "element flood": (element_flood, "docx", TOO_LARGE),
}
# Found by the upload's checks.
CRAFTED = {
    "ZIP member bomb": (member_bomb, "odt", TOO_LARGE),
    "JavaScript on opening": (
        lambda: one_page(catalogue=b"/OpenAction " + JAVASCRIPT),
        "pdf",
        SCRIPTS,
    ),
    "JavaScript in a link": (
        lambda: one_page(
            page=b"/Annots [4 0 R]",
            more=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A " + JAVASCRIPT + b" >>"],
        ),
        "pdf",
        SCRIPTS,
    ),
    "an action when a page opens": (
        lambda: one_page(page=b"/AA << /O << /S /URI /URI (http://example.org/) >> >>"),
        "pdf",
        SCRIPTS,
    ),
    "a program launched": (
        lambda: one_page(catalogue=b"/OpenAction << /S /Launch /F (calc.exe) >>"),
        "pdf",
        SCRIPTS,
    ),
    "document JavaScript": (
        lambda: one_page(
            catalogue=b"/Names << /JavaScript 4 0 R >>",
            more=[b"<< /Names [(a) 5 0 R] >>", JAVASCRIPT],
        ),
        "pdf",
        SCRIPTS,
    ),
}


# Run from a small Python process: a child's peak memory counts what it inherited before
# exec, and a test worker's own is hundreds of megabytes.
MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdin=0, stdout=subprocess.DEVNULL)
print(os.wait4(child.pid, 0)[2].ru_maxrss)
"""


def peak_memory_of_reading(data: bytes) -> int:
    """The reader's own peak memory on `data` (its resident set, in bytes), run exactly
    as the upload runs it."""
    command = documents.reader_command()
    with tempfile.TemporaryFile() as stdin:
        stdin.write(data)
        stdin.seek(0)
        measured = subprocess.run(
            [sys.executable, "-I", "-c", MEASURE, *command],
            stdin=stdin,
            capture_output=True,
            env={},
            check=True,
        )
    return int(measured.stdout) * 1024


@pytest.mark.parametrize("name", CRAFTED)
def test_a_crafted_file_is_refused_quickly_clearly_and_nothing_is_kept(client, name):
    make, extension, message = CRAFTED[name]
    data = make()
    assert len(data) < 500_000  # tiny files, as in the review
    started = time.monotonic()
    refused(client, SimpleUploadedFile(f"odigos.{extension}", data), message)
    assert time.monotonic() - started < SECONDS
    assert peak_memory_of_reading(data) < MEMORY


@pytest.mark.parametrize("name", CRAFTED_INSIDE)
def test_a_file_crafted_inside_is_kept_and_its_reading_fails_quickly_and_clearly(
    client, send, name
):
    make, extension, message = CRAFTED_INSIDE[name]
    data = make()
    assert len(data) < 500_000
    started = time.monotonic()
    response = send(client, CREATE, form_data(file=SimpleUploadedFile(f"odigos.{extension}", data)))
    assert time.monotonic() - started < SECONDS  # the upload and its reading task
    assert response.status_code == 302
    entry = ToolboxItem.objects.get()
    assert entry.reading == "failed" and message in str(entry.reading_problem)
    assert entry.file.storage.exists(entry.file.name) and entry.document_text == ""
    assert peak_memory_of_reading(data) < MEMORY


def test_the_reader_runs_under_a_memory_limit_and_a_killed_reader_refuses_the_file(
    client, settings
):
    content = pdf("Οδηγός", ["Κείμενο."], author="x")
    settings.DOCUMENT_READ_MEMORY = 20 * 1024 * 1024  # less than PDFium needs to start
    refused(client, SimpleUploadedFile("odigos.pdf", content), TOO_LARGE)
    settings.DOCUMENT_READ_MEMORY = 256 * 1024 * 1024
    assert (
        client.post(CREATE, form_data(file=SimpleUploadedFile("o.pdf", content))).status_code == 302
    )


def test_a_large_page_gets_a_preview_of_bounded_size_and_its_top():
    """A poster 2,000 × 9,000 pt is a real page: its preview is the page's top, at most
    PREVIEW_PIXELS, instead of a picture of 360 × 1,620 pixels or more."""
    document = documents.read(one_page(size=b"2000 9000"))
    width, height = Image.open(io.BytesIO(document.preview)).size
    assert width * height <= reading.PREVIEW_PIXELS and height <= 2 * width
    assert (document.kind, document.pages) == ("pdf", 1)


@pytest.mark.parametrize(
    "opening",
    [b"/OpenAction [3 0 R /Fit]", b"/OpenAction [3 0 R /XYZ null null 0]"],
    ids=["fit the page", "at the top"],
)
def test_a_pdf_that_only_opens_at_a_page_or_links_to_a_site_is_taken(opening):
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://x.gr) >> >>"
    document = documents.read(one_page(catalogue=opening, page=b"/Annots [4 0 R]", more=[link]))
    assert document.kind == "pdf" and document.pages == 1


def test_the_reader_sees_no_secret_of_the_portal(monkeypatch):
    """The child process gets an empty environment: whatever a file makes it do, the
    database address and the secret key are not there to leak."""
    monkeypatch.setenv("SECRET_KEY", "do-not-leak")
    tells_its_environment = (
        "import json, os, sys; json.dump({'kind': 'pdf', 'pages': 1, 'preview': None, "
        "'text': ' '.join(os.environ)}, sys.stdout)"
    )
    monkeypatch.setattr(
        documents, "reader_command", lambda: [sys.executable, "-I", "-c", tells_its_environment]
    )
    assert "SECRET_KEY" not in documents.read(b"%PDF-").text
