"""Portable text keys for accent- and case-insensitive search and Greek ordering."""

import re
import unicodedata

import snowballstemmer
from django.utils.text import slugify

_SPACES = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """Fold case, strip accents and diacritics, map final ς to σ and collapse spaces.

    "Υγεία", "ΥΓΕΙΑ" and "υγεια" all become "υγεια", so one plain substring match on
    a stored key works the same on PostgreSQL and SQLite; and because Greek letters are
    in alphabetical order in Unicode once ς is folded, the key also sorts correctly.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Combining marks go, and control characters too: PostgreSQL refuses a NUL in text.
    stripped = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and (ch.isspace() or unicodedata.category(ch) != "Cc")
    )
    return _SPACES.sub(" ", stripped.replace("ς", "σ")).strip()


# Line and paragraph breaks, and the control characters a text field has no use for
# (a tab aside), with the spaces around them.
_BREAKS = re.compile(r"[ \t]*[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]+[ \t]*")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def one_line(text: str | None) -> str:
    """`text` on one line: each run of line breaks or control characters becomes one
    space. For titles and names, which a line break would split where they are written
    line by line (a calendar file's properties, a mail's subject)."""
    return _BREAKS.sub(" ", text or "").strip()


def plain_text(text: str | None) -> str:
    """`text` with its line breaks as "\\n" (from CRLF or CR too) and no other control
    characters, for a multi-line text that a format escapes itself."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", lines.replace("\u2028", "\n").replace("\u2029", "\n\n"))


_STEMMERS = {}


def _stemmer(word: str):
    """Snowball's Greek stemmer for a Greek word, its English one for anything else."""
    language = "greek" if any("\u0370" <= ch <= "\u03ff" for ch in word) else "english"
    if language not in _STEMMERS:
        _STEMMERS[language] = snowballstemmer.stemmer(language)
    return _STEMMERS[language]


def search_stem(word: str) -> str:
    """The part of a normalised word that its other forms share, to match as a substring
    of the stored text: "ελληνικα" and "ελληνικων" → "ελλην", "courses" → "cours".

    Stored keys stay plain normalised words (portable across PostgreSQL and SQLite);
    only the query is stemmed. A stem shorter than 4 letters ("παιδια" → "πα") would match
    far too much, so at least 4 letters of the word are kept.
    """
    stem = _stemmer(word).stemWord(word)
    if not word.startswith(stem):
        return word
    return word[: max(len(stem), min(len(word), 4))]


def search_terms(query: str) -> list[str]:
    """The distinct stemmed, normalised words of a search query, in order."""
    return list(dict.fromkeys(search_stem(word) for word in normalise(query).split()))


# ELOT 743-style transliteration, enough for readable Latin slugs of Greek names.
_DIGRAPHS = {
    "ου": "ou",
    "αι": "ai",
    "ει": "ei",
    "οι": "oi",
    "μπ": "b",
    "ντ": "nt",
    "γκ": "gk",
    "γγ": "ng",
}
_LETTERS = dict(
    zip(
        "αβγδεζηθικλμνξοπρστυφχψω",
        [
            "a",
            "b",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)


def transliterate(text: str) -> str:
    """Greek letters to Latin ones (accents and case dropped), other characters kept."""
    text = normalise(text)
    for greek, latin in _DIGRAPHS.items():
        text = text.replace(greek, latin)
    return "".join(_LETTERS.get(ch, ch) for ch in text)


def unique_slug(model, text: str, *, max_length: int = 80, exclude_pk=None) -> str:
    """A Latin slug for `text` that no other row of `model` has (runs a query per clash)."""
    base = slugify(transliterate(text))[:max_length].strip("-") or "item"
    slug, n = base, 1
    others = model._default_manager.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return slug


def as_row_id(raw) -> int | None:
    """`raw` (a form's value) as an id the database can hold, or None: "²" is a digit
    to Python but not to int(), and PostgreSQL's bigint stops below 2**63."""
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) < 2**63 else None
