"""What every page shares: the icon browsers ask for, compressed pages, valid form markup."""

import gzip
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image

from .factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db
NONCE = re.compile(rb'nonce="[^"]*"')


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def static_file(url):
    """The source file a static URL serves."""
    path = finders.find(url.removeprefix(static("")))
    assert path, url
    return path


def test_favicon_ico_leads_to_a_real_icon_of_the_usual_sizes(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    icon = Image.open(static_file(response["Location"]))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_links_an_svg_and_an_ico_icon_that_exist(client, prefix):
    tags = Tags(client.get(prefix + "/").content.decode()).found
    icons = {a["href"]: a for tag, a in tags if tag == "link" and a.get("rel") == "icon"}
    assert set(icons) == {static("img/favicon.ico"), static("img/favicon.svg")}
    assert Image.open(static_file(static("img/favicon.ico"))).format == "ICO"
    svg = ElementTree.parse(static_file(static("img/favicon.svg"))).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert icons[static("img/favicon.svg")]["type"] == "image/svg+xml"


@pytest.mark.parametrize("path", ["/", "/en/services/", "/members/", "/pages/about/"])
def test_a_page_asked_for_with_gzip_comes_compressed_and_unpacks_to_the_page(client, path):
    plain = client.get(path)
    packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 2
    page = gzip.decompress(packed.content)
    assert page.startswith(b"<!doctype html>")
    # The same page but for the nonce every response gets.
    assert NONCE.sub(b"", page) == NONCE.sub(b"", plain.content)


def padding(body: bytes) -> int:
    """The length of the random name Django writes in a gzip header (RFC 1952: FNAME)."""
    assert body[:3] == b"\x1f\x8b\x08" and body[3] & 0x08, body[:4]
    return body.index(b"\x00", 10) - 10


def test_each_compressed_page_is_padded_at_random_against_breach(client):
    paddings = {padding(client.get("/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(paddings) > 1


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("kind", ["services", "activities", "toolbox", "support"])
def test_no_hidden_input_of_an_entry_form_carries_aria_attributes(client, prefix, kind):
    client.force_login(member("editor", OrganisationFactory()))
    response = client.get(f"{prefix}/dashboard/{kind}/new/")
    assert response.status_code == 200
    hidden = [a for tag, a in Tags(response.content.decode()).found if tag == "input"]
    hidden = [a for a in hidden if a.get("type") == "hidden"]
    assert hidden  # the CSRF token at least
    assert [a for a in hidden if any(name.startswith("aria-") for name in a)] == []
