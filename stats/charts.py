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
HATCHES = ["", "//", "\\\\", "xx", "--", "||", "++", "///", "\\\\\\"]  # lines: light in SVG
INK, MUTED, GRID = "#1b1f24", "#4a5360", "#d5dbe3"
# Inches, at 11 pt (the labels beyond it widen the SVG to about 5.3): shown at 1.4 times
# its size on a wide screen (text of about 15 px) and shrunk to the width of a 390 px
# phone (about 10 px), whatever the chart's own width.
WIDTH = 3.9
SHOWN = 1.25
STYLE = {
    "svg.fonttype": "none",  # text stays text
    "svg.hashsalt": "accmr",  # the same chart, the same SVG (cacheable, diffable)
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "hatch.color": "#ffffff",
    "hatch.linewidth": 0.8,
}


def _wrap(label: str, width: int = 20) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _bars(figure_class, chart: Chart):
    """Horizontal bars, the largest first, each with its count and its label written
    above it across the whole width (long Greek names need it on a phone)."""
    (_name, values), labels = chart.series[0], chart.labels
    wrapped = [_wrap(label, 46) for label in labels]
    # Each row is a bar and its label's lines above it, from the top down.
    rows, top = [], 0.0
    for label in wrapped:
        top -= 0.62 + 0.38 * label.count("\n")
        rows.append(top)
        top -= 0.38
    figure = figure_class(figsize=(WIDTH, 0.7 - 0.62 * top))
    axes = figure.add_subplot()
    bars = axes.barh(rows, values, color=PALETTE[0], height=0.42)
    axes.bar_label(bars, padding=3, color=INK)
    for row, label in zip(rows, wrapped, strict=True):
        axes.text(0, row + 0.27, label, va="bottom", ha="left", color=INK)
    axes.set_yticks([])
    axes.set_ylim(top, 0.1)
    axes.set_xlabel(chart.unit)
    axes.xaxis.set_major_locator(_whole_numbers())
    axes.margins(x=0.12)
    _tidy(axes)
    axes.spines["left"].set_visible(False)
    return figure


def _stacked(figure_class, chart: Chart):
    """Vertical bars per label, the series stacked, with a legend and each total on top."""
    figure = figure_class(figsize=(WIDTH, 3.8))
    axes = figure.add_subplot()
    positions = list(range(len(chart.labels)))
    bottoms = [0] * len(positions)
    for index, (name, values) in enumerate(chart.series):
        # A series keeps its colour whatever the filters leave out (chart.colours).
        colour = chart.colours[index] if chart.colours else index
        drawn = [i for i, value in enumerate(values) if value]  # no empty segments
        axes.bar(
            [positions[i] for i in drawn],
            [values[i] for i in drawn],
            bottom=[bottoms[i] for i in drawn],
            color=PALETTE[colour % len(PALETTE)],
            hatch=HATCHES[colour % len(HATCHES)],
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
    # At most about twelve labels fit a phone: a longer range labels every n-th bar.
    step = -(-len(positions) // 12)
    crowded = len(positions) > 6
    axes.set_xticks(
        positions[::step],
        [_wrap(label, 12) for label in chart.labels[::step]],
        rotation=45 if crowded else 0,
        ha="right" if crowded else "center",
        rotation_mode="anchor",
    )
    axes.set_ylabel(chart.unit)
    axes.yaxis.set_major_locator(_whole_numbers())
    axes.margins(y=0.15)
    axes.legend(
        frameon=False,
        fontsize=10,
        ncols=2,
        loc="upper left",
        bbox_to_anchor=(0, -0.3 if crowded else -0.15),
        handlelength=2.2,
        handleheight=1.3,
    )
    _tidy(axes, vertical=True)
    return figure


def _grid(figure_class, chart: Chart):
    """A heatmap of vector cells: rows × columns, each with its count, the empty ones
    marked with a dash (so an under-served district reads without colour)."""
    rows = [name for name, _values in chart.series]
    matrix = [values for _name, values in chart.series]
    figure = figure_class(figsize=(WIDTH * 0.8, 1.2 + 0.5 * len(rows)))
    axes = figure.add_subplot()
    highest = max((max(row) for row in matrix if row), default=0) or 1
    axes.pcolormesh(matrix, cmap="Blues", vmin=0, vmax=highest, edgecolors="#ffffff", linewidth=1)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            # White only on the darkest blues, where it keeps 4.5:1.
            colour = "#ffffff" if value > highest * 0.7 else INK
            label = str(value) if value else "–"
            axes.text(c + 0.5, r + 0.5, label, ha="center", va="center", color=colour)
    axes.set_xticks([c + 0.5 for c in range(len(chart.labels))], chart.labels)
    axes.set_yticks([r + 0.5 for r in range(len(rows))], [_wrap(row, 18) for row in rows])
    axes.invert_yaxis()
    axes.xaxis.tick_top()
    axes.xaxis.set_label_position("top")
    axes.set_xlabel(chart.columns_axis)
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
    # Lighter: only the ids something points to, a tenth of a pixel, no indentation.
    used = set(re.findall(r"url\(#([^)]+)\)", body)) | set(re.findall(r'href="#([^"]+)"', body))
    body = re.sub(r'\sid="([^"]+)"', lambda m: m.group(0) if m.group(1) in used else "", body)
    body = re.sub(r"(\d\.\d)\d+", r"\1", body)
    body = re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", " ", body))
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
        'focusable="false" stroke-linejoin="round" stroke-linecap="butt"',
        1,
    )
    named = f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
    return tag + named + body[len(opening) :]
