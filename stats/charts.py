"""Charts drawn on the server: matplotlib's Figure (never pyplot), as SVG with real text.

Each SVG is made to sit inline in the page: it scales with its box (a viewBox, no fixed
size), is an image named by its <title>, and its ids carry the chart's key, so two charts
on one page never share one. Colours keep 3:1 against white and stacked series are also
hatched; counts are written on the bars, so no colour carries meaning alone.
"""

import io
import re
import textwrap

from django.utils.html import escape

from .aggregates import Chart

# Okabe–Ito's darker colours and a few more, each at least 3:1 against white (WCAG
# 1.4.11); stacked series also differ by hatching, for any colour vision.
# Okabe–Ito's darker colours and a few more, each at least 3:1 against white (WCAG 1.4.11).
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
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "--", "oo", "||"]
INK, MUTED, GRID = "#1b1f24", "#4a5360", "#d5dbe3"
WIDTH = 6.4  # inches: legible when a phone shrinks it to its width
STYLE = {
    "svg.fonttype": "none",  # text stays text
    "svg.hashsalt": "accmr",  # the same chart, the same SVG (cacheable, diffable)
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "hatch.color": "#ffffff",
    "hatch.linewidth": 0.8,
}


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _bars(figure_class, chart: Chart):
    """Horizontal bars, the largest first, each with its count."""
    (_name, values), labels = chart.series[0], chart.labels
    height = 0.9 + 0.42 * len(labels)
    figure = figure_class(figsize=(WIDTH, height))
    axes = figure.add_subplot()
    positions = range(len(labels))
    bars = axes.barh(positions, values, color=PALETTE[0], height=0.65)
    axes.bar_label(bars, padding=3, color=INK)
    axes.set_yticks(list(positions), [_wrap(label) for label in labels])
    axes.invert_yaxis()
    axes.set_xlabel(chart.unit)
    axes.xaxis.set_major_locator(_whole_numbers())
    axes.margins(x=0.12)
    _tidy(axes)
    return figure


def _stacked(figure_class, chart: Chart):
    """Vertical bars per label, the series stacked, with a legend and each total on top."""
    figure = figure_class(figsize=(WIDTH, 3.8))
    axes = figure.add_subplot()
    positions = list(range(len(chart.labels)))
    bottoms = [0] * len(positions)
    for index, (name, values) in enumerate(chart.series):
        axes.bar(
            positions,
            values,
            bottom=bottoms,
            color=PALETTE[index % len(PALETTE)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="#ffffff",
            linewidth=0.6,
            label=name,
            width=0.7,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for x, total in zip(positions, bottoms, strict=True):
        if total:
            axes.annotate(
                str(total),
                (x, total),
                ha="center",
                va="bottom",
                color=INK,
                xytext=(0, 2),
                textcoords="offset points",
            )
    axes.set_xticks(
        positions,
        [_wrap(label, 14) for label in chart.labels],
        rotation=45 if len(positions) > 6 else 0,
        ha="right" if len(positions) > 6 else "center",
    )
    axes.set_ylabel(chart.unit)
    axes.yaxis.set_major_locator(_whole_numbers())
    axes.margins(y=0.15)
    axes.legend(
        frameon=False,
        fontsize=8,
        ncols=2,
        loc="upper left",
        bbox_to_anchor=(0, -0.28 if len(positions) > 6 else -0.15),
    )
    _tidy(axes, vertical=True)
    return figure


def _grid(figure_class, chart: Chart):
    """A heatmap of vector cells: rows × columns, each with its count, the empty ones
    marked with a dash (so an under-served district reads without colour)."""
    rows = [name for name, _values in chart.series]
    matrix = [values for _name, values in chart.series]
    figure = figure_class(figsize=(WIDTH, 0.9 + 0.38 * len(rows)))
    axes = figure.add_subplot()
    highest = max((max(row) for row in matrix if row), default=0) or 1
    axes.pcolormesh(matrix, cmap="Blues", vmin=0, vmax=highest, edgecolors="#ffffff", linewidth=1)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            colour = "#ffffff" if value > highest * 0.55 else INK
            label = str(value) if value else "–"
            axes.text(c + 0.5, r + 0.5, label, ha="center", va="center", color=colour, fontsize=9)
    axes.set_xticks([c + 0.5 for c in range(len(chart.labels))], chart.labels)
    axes.set_yticks([r + 0.5 for r in range(len(rows))], [_wrap(row, 32) for row in rows])
    axes.invert_yaxis()
    axes.xaxis.tick_top()
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.tick_params(length=0)
    return figure


def _whole_numbers():
    """Ticks at whole numbers only: these are counts."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _tidy(axes, vertical: bool = False) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y" if vertical else "x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(length=0)


DRAW = {"bars": _bars, "stacked": _stacked, "grid": _grid}


def svg(chart: Chart, *, description: str) -> str:
    """The chart as inline SVG, titled `chart.title` and described by `description`."""
    # Imported here: matplotlib costs a second to load, which only this page pays.
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        figure = DRAW[chart.kind](Figure, chart)
        out = io.StringIO()
        figure.savefig(
            out, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
        )
    return _inline(out.getvalue(), chart.key, chart.title, description)


def _attributes(match) -> str:
    """style="fill: #fff; font-size: 10px" as presentation attributes (fill="#fff" ...):
    the page's Content-Security-Policy forbids inline styles, not SVG attributes."""
    pairs = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip().replace("'", "")
        if name == "font-family":
            value = f"{value}, Verdana, sans-serif"
        if name:
            pairs.append(f'{name}="{value}"')
    return " ".join(pairs)


def _inline(document: str, key: str, title: str, description: str) -> str:
    body = document[document.index("<svg") :]
    body = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", body, flags=re.S)
    body = re.sub(r"<metadata>.*?</metadata>", "", body, flags=re.S)
    body = re.sub(r'style="([^"]*)"', _attributes, body)
    body = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', body)
    body = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", body)
    body = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', body)
    # Scale with the page: keep the viewBox, drop the fixed size.
    opening = re.match(r"<svg[^>]*>", body).group(0)
    tag = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    tag = tag.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{key}-title" aria-describedby="{key}-desc" class="chart-svg" '
        'focusable="false" stroke-linejoin="round" stroke-linecap="butt"',
        1,
    )
    named = f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
    return tag + named + body[len(opening) :]
