"""The toolbox in a real browser: a caseworker finds a guide and takes it away."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from toolbox.models import ToolboxItem

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("prefix", "kind", "topic", "group", "farsi", "download"),
    [
        ("", "Οδηγός", "Νομική υποστήριξη", "Γλώσσα του εγγράφου", "Φαρσί", "Λήψη"),
        ("/en", "Guide", "Legal support", "Language of the document", "Farsi", "Download"),
    ],
)
@pytest.mark.parametrize("width", [390, 1280])
def test_a_guide_in_farsi_about_legal_support_is_found_and_downloaded(
    page, demo, prefix, kind, topic, group, farsi, download, width
):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(page.base + prefix + "/toolbox/")
    if width < 600:
        page.locator(".filters-toggle").click()
    page.get_by_label(kind, exact=True).check()
    page.get_by_label(topic, exact=True).check()
    page.locator("#filter-panel summary", has_text=group).click()
    page.get_by_label(re.compile(f"^{farsi}")).check()
    expect(page).to_have_url(re.compile(r"kind=guide.*topic=legal.*language=fa"))
    if width < 600:
        page.locator(".apply").click()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    cards = page.locator(".card h3 a")
    expect(cards).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    cards.first.click()

    item = ToolboxItem.objects.get(slug=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert item.kind == "guide" and item.document_languages.filter(slug="fa").exists()
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    button = page.get_by_role("link", name=re.compile(download))
    expect(button).to_contain_text("PDF")
    assert button.bounding_box()["y"] < 844  # the download is on the first screen
    expect(page.locator("img.document-preview")).to_be_visible()
    assert page.evaluate("document.querySelector('img.document-preview').naturalWidth") > 0
    with page.expect_download() as started:
        button.click()
    assert started.value.suggested_filename == f"{item.slug}.pdf"
    assert Path(started.value.path()).read_bytes().startswith(b"%PDF-")
    item.refresh_from_db()
    assert item.download_count == 1
