"""Charts drawn on the server: matplotlib's Figure (never pyplot), as SVG with real text.

Each chart is laid out by hand in points on a figure of a fixed width, without Axes: bars
in rows, each with its label and its count, and a grid of cells. Nothing is placed where
something else is, so labels cannot overlap in any language, and the width is one a phone
shows at full size, so its text never shrinks below 12 px (a figure with Axes and a "tight"
box grew with its labels and was shrunk to fit; it also cost a second drawing pass).

Each SVG sits inline in the page: it scales with its box (a viewBox, no fixed height), is
an image named by its <title>, and its ids carry the chart's key, so two charts on one page
never share one. Colours keep 3:1 against white and stacked series are also hatched; every
count is written out, so no colour carries meaning alone.
"""

import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape

from .aggregates import Chart

# Okabe–Ito's darker colours and a few more, each at least 3:1 against white (WCAG 1.4.11);
# stacked series also differ by hatching, for any colour vision.
PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#000000",
    "#AA3377",
    "#8C6D00",
    "#5C5C5C",
    "#0B3D91",
    "#7A1F1F",
]
HATCHES = ["", "//", "\\\\", "xx", "--", "||", "++", "///", "\\\\\\"]  # lines: light in SVG
INK, MUTED = "#1b1f24", "#4a5360"
# Points (the SVG's units). A 390 px phone gives a chart 358 px: at this width it shows at
# full size or larger, so text of FONT points is never under 12 px; wider boxes show it at
# up to SHOWN times its size.
WIDTH = 352.0
FONT = 13.0
PAD = 3.0
INNER = WIDTH - 2 * PAD  # what the layout may fill
# A line holds its text's whole box (ascent and descent: 1.16 em), so no two boxes meet.
LINE = 15.5
BAR = 10.0
RISE = 3.5  # a count's box rises 2.6 above its bar: room for it under a label
GAP = 5.0  # between rows
SHOWN = 1.25
# Text measured with DejaVu Sans may be set in a wider fallback (Verdana): keep room.
SLACK = 1.08
FAMILY = "DejaVu Sans, Verdana, sans-serif"
STYLE = {
    "svg.fonttype": "none",  # text stays text
    "svg.hashsalt": "accmr",  # the same chart, the same SVG (cacheable, diffable)
    "font.family": "DejaVu Sans",
    "font.size": FONT,
    "hatch.color": "#ffffff",
    "hatch.linewidth": 0.8,
}


def text_width(text, size: float = FONT) -> float:
    """`text`'s width in points, set in DejaVu Sans at `size` (with room for a fallback)."""
    return _width(str(text), size)


@lru_cache(maxsize=4096)
def _width(text: str, size: float) -> float:
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family=STYLE["font.family"])))
    font.set_size(size, 72)
    font.set_text(text)
    return font.get_width_height()[0] / 64 * SLACK


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """`text` in lines of at most `width` points (a word longer than that keeps its line)."""
    lines: list[str] = []
    for word in str(text).split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [text]


class Canvas:
    """A figure measured in points from the top left corner of its drawing area, which a
    margin of PAD surrounds (accents and descents reach a little past a text's anchor)."""

    def __init__(self, figure_class, height: float):
        self.width, self.height = WIDTH, height + 2 * PAD
        self.figure = figure_class(figsize=(self.width / 72, self.height / 72), dpi=72)

    def box(self, x, y, w, h, colour, hatch="", edge="none") -> None:
        from matplotlib.patches import Rectangle

        self.figure.add_artist(
            Rectangle(
                ((x + PAD) / self.width, 1 - (y + h + PAD) / self.height),
                w / self.width,
                h / self.height,
                transform=self.figure.transFigure,
                facecolor=colour,
                hatch=hatch or None,
                edgecolor=edge,
                linewidth=0.8 if edge != "none" else 0,
            )
        )

    def text(self, x, y, text, *, ha="left", colour=INK) -> None:
        """`text` with its middle at height `y` (a row's or a bar's)."""
        self.figure.text(
            (x + PAD) / self.width,
            1 - (y + PAD) / self.height,
            str(text),
            ha=ha,
            va="center",
            color=colour,
            fontsize=FONT,
        )


def _legend(series, colours) -> list[list[tuple[int, str, float]]]:
    """The series' names flowed in lines across the width: (colour, name, x) per item."""
    lines, x = [[]], 0.0
    for index, (name, _values) in enumerate(series):
        width = 18 + text_width(name)
        if x and x + width > INNER:
            lines.append([])
            x = 0.0
        lines[-1].append((colours[index], name, x))
        x += width + 14
    return lines


def _rows(figure_class, chart: Chart):
    """A row per label, its series stacked in one bar, the total written after it.
    Short labels (months, states) go beside their bars, long ones on lines of their own
    above (long Greek names need the whole width on a phone)."""
    totals = [sum(values[i] for _n, values in chart.series) for i in range(len(chart.labels))]
    colours = chart.colours or list(range(len(chart.series)))
    count_room = text_width(str(max(totals, default=0))) + 6
    beside = max((text_width(label) for label in chart.labels), default=0) <= INNER * 0.3
    label_room = max((text_width(label) for label in chart.labels), default=0) + 8 if beside else 0
    wrapped = [[label] if beside else wrap(label, INNER - 2) for label in chart.labels]
    legend = _legend(chart.series, colours) if len(chart.series) > 1 else []

    top = len(legend) * LINE + (GAP if legend else 0)
    heights = [max(BAR, LINE) if beside else LINE * len(lines) + RISE + BAR for lines in wrapped]
    canvas = Canvas(figure_class, top + sum(h + GAP for h in heights))

    for line, items in enumerate(legend):
        middle = line * LINE + LINE / 2
        for colour, name, x in items:
            canvas.box(x, middle - 5, 14, 10, PALETTE[colour % 9], HATCHES[colour % 9])
            canvas.text(x + 18, middle, name)

    start, end = label_room, INNER - count_room
    scale = (end - start) / (max(totals, default=0) or 1)
    y = top
    for i, (lines, total, height) in enumerate(zip(wrapped, totals, heights, strict=True)):
        bar_top = y + height - BAR - (max(0, LINE - BAR) / 2 if beside else 0)
        if beside:
            canvas.text(0, bar_top + BAR / 2, lines[0])
        else:
            for n, line in enumerate(lines):
                canvas.text(0, y + n * LINE + LINE / 2, line)
        x = start
        for (_name, values), colour in zip(chart.series, colours, strict=True):
            if values[i]:
                length = values[i] * scale
                canvas.box(
                    x, bar_top, length, BAR, PALETTE[colour % 9], HATCHES[colour % 9], "#ffffff"
                )
                x += length
        canvas.text(x + 4, bar_top + BAR / 2, str(total))
        y += height + GAP
    return canvas.figure


def _grid(figure_class, chart: Chart):
    """A heatmap: rows × columns, each cell with its count, the empty ones marked with a
    dash (so an under-served district reads without colour)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    blues = colormaps["Blues"]
    rows = [(wrap(name, INNER * 0.42), values) for name, values in chart.series]
    label_room = max(text_width(line) for lines, _v in rows for line in lines) + 6
    cell = (INNER - label_room) / max(len(chart.labels), 1)
    heights = [max(24, LINE * len(lines) + 6) for lines, _v in rows]
    head = 2 * LINE + 4
    canvas = Canvas(figure_class, head + sum(heights))
    highest = max((max(values) for _l, values in rows if values), default=0) or 1

    canvas.text(label_room + (INNER - label_room) / 2, LINE / 2, chart.columns_axis, ha="center")
    for c, label in enumerate(chart.labels):
        canvas.text(label_room + (c + 0.5) * cell, LINE * 1.5, label, ha="center", colour=MUTED)
    y = head
    for (lines, values), height in zip(rows, heights, strict=True):
        first = y + height / 2 - LINE * (len(lines) - 1) / 2
        for n, line in enumerate(lines):
            canvas.text(0, first + n * LINE, line)
        for c, value in enumerate(values):
            canvas.box(
                label_room + c * cell,
                y,
                cell,
                height,
                to_hex(blues(value / highest)),
                edge="#ffffff",
            )
            # White only on the darkest blues, where it keeps 4.5:1.
            colour = "#ffffff" if value > highest * 0.7 else INK
            mark = str(value) if value else "–"
            canvas.text(
                label_room + (c + 0.5) * cell, y + height / 2, mark, ha="center", colour=colour
            )
        y += height
    return canvas.figure


DRAW = {"bars": _rows, "stacked": _rows, "grid": _grid}
# A drawing is kept under its content and this code: a change here redraws every chart.
VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def fingerprint(chart: Chart, description: str) -> str:
    """What a drawing depends on, as a short digest: the same numbers, labels and words
    give the same SVG, so a cached one is reused whatever else changed."""
    labels = [str(label) for label in chart.labels]
    series = [(str(name), values) for name, values in chart.series]
    drawn = (VERSION, chart.key, chart.kind, str(chart.title), labels, series)
    parts = (*drawn, chart.colours, str(chart.columns_axis), description)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def svg(chart: Chart, *, description: str) -> str:
    """The chart as inline SVG, titled `chart.title` and described by `description`."""
    # Imported here: matplotlib costs a second to load, which only this page pays.
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        figure = DRAW[chart.kind](Figure, chart)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(out.getvalue(), chart.key, chart.title, description)


def _attributes(match) -> str:
    """style="fill: #fff; font-size: 10px" as presentation attributes (fill="#fff" ...):
    the page's Content-Security-Policy forbids inline styles, not SVG attributes."""
    pairs = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip().replace("'", "")
        if name == "font-family":
            value = FAMILY
        if name:
            pairs.append(f'{name}="{value}"')
    return " ".join(pairs)


def _inline(document: str, key: str, title: str, description: str) -> str:
    body = document[document.index("<svg") :]
    body = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", body, flags=re.S)
    body = re.sub(r"<metadata>.*?</metadata>", "", body, flags=re.S)
    body = re.sub(r'style="([^"]*)"', _attributes, body)
    # Lighter: only the ids something points to, a tenth of a pixel, no indentation.
    used = set(re.findall(r"url\(#([^)]+)\)", body)) | set(re.findall(r'href="#([^"]+)"', body))
    body = re.sub(r'\sid="([^"]+)"', lambda m: m.group(0) if m.group(1) in used else "", body)
    body = re.sub(r"(\d\.\d)\d+", r"\1", body)
    body = re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", " ", body))
    # Every text shares one font, given once on the <svg>; an unrotated text needs no
    # transform, a lone shape no group.
    body = body.replace(f' font-size="{FONT:g}px" font-family="{FAMILY}"', "")
    body = re.sub(r' transform="rotate\(-0 [\d.]+ [\d.]+\)"', "", body)
    body = re.sub(r"<g>(<path[^>]*/>)</g>", r"\1", body)
    body = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', body)
    body = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", body)
    body = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', body)
    # Scale with the page: keep the viewBox, a width in pixels (CSS caps it at 100 %).
    opening = re.match(r"<svg[^>]*>", body).group(0)
    natural = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', opening).group(1))
    tag = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    tag = tag.replace("<svg", f'<svg width="{natural * SHOWN:.0f}"', 1)
    tag = tag.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{key}-title" aria-describedby="{key}-desc" class="chart-svg" '
        f'focusable="false" stroke-linejoin="round" stroke-linecap="butt" font-size="{FONT:g}px" '
        f'font-family="{FAMILY}"',
        1,
    )
    named = f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
    return tag + named + body[len(opening) :]
