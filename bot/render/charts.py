"""Series charts as PNG: matplotlib (Agg), imported only when a chart is drawn.

Importing this module costs nothing: matplotlib is imported inside the
functions, so start-up and the other commands never pay for it.

The chart is an opaque light card with dark text. Discord shows images on a
dark (#313338) or a light (#ffffff) background; a transparent chart has to
pick one text colour that fails on the other, while a light card with a thin
grey border reads the same on both (checked by compositing on both).

What the reader sees:
* full years (and stocks "as of" a date) as filled points joined by a line,
  dashed where years in between have no figure, so no trend is invented;
* partial periods (H1, January to November) as hollow orange points at the
  middle of the months they cover, never joined to the line of full years;
* every value printed as its document states it ("246.36", or "690 million"
  when the figure uses another scale than the axis), with a footnote marker
  when the points come from several documents; the sources in the footer.

`build_series_figure` returns the Figure so that tests can read back what was
drawn (artists carry gids: points-full, points-as-of, points-partial,
segment, value-label). `render_series_png` is synchronous, bounded (fixed
size, dpi 144, at most MAX_POINTS points) and safe to run in a thread;
`render_series_png_async` does that with a timeout.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import math
import textwrap
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.analysis.labels import short_part
from bot.analysis.numbers import format_on_axis, is_approximate, stated_number
from bot.analysis.series import MAX_POINTS, Series, SeriesPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 7.5, 4.8, 144  # 1080 x 691 pixels; Discord shows it at about half that
DEFAULT_TIMEOUT = 10.0  # seconds; a render takes well under one

# A light card: every colour is checked for contrast against the card, not against Discord.
CARD = "#F4F5F7"
BORDER = "#C3C8CF"
TEXT = "#1E2227"
MUTED = "#4F5761"
GRID = "#DADEE3"
FULL = "#1F5FAD"  # blue: full years
PARTIAL = "#B04E00"  # dark orange: partial periods (and hollow, so colour is not the only cue)

# Sizes in points. Discord scales the image to about half, so nothing is smaller than 9.5 pt.
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE, FOOTER_SIZE = 16.0, 11.5, 11.5, 11.0, 9.5
_CHAR_WIDTH = 0.6  # average glyph width of DejaVu Sans, in ems: enough to lay out without a draw
_MARGIN_PT = 12.0
_MAX_SOURCE_LINES = 3
# one render at a time: matplotlib's font cache and text layout are shared state, not thread-safe
_RENDER_LOCK = threading.Lock()


class ChartError(ValueError):
    """A series that cannot be drawn (fewer than two points, or more than MAX_POINTS)."""


def value_label(point: SeriesPoint, series: Series) -> str:
    """The value printed on a point: the document's own digits, never re-rounded."""
    number = stated_number(point.fact)
    if number is None:
        text = format_on_axis(point.value, series.scale_factor)
    elif number.scale == series.scale:
        text = number.text
    else:
        text = f"{number.text} {number.scale}".strip()  # "690 million" on a billion-yuan axis
    qualifier = (point.fact.qualifier or "").lower()
    if is_approximate(point.fact) and qualifier not in text.lower():
        text = f"{qualifier} {text}"
    if len(series.sources) > 1:
        text += f" [{point.source_number}]"
    if point.partial:
        text += f"\n{short_part(point.period)}"
    return text


def _axis_label(series: Series) -> str:
    if series.unit == "rank":
        return "rank (1 = first)"
    if series.unit == "count":
        return f"{series.metric_name} ({series.scale})" if series.scale else series.metric_name
    return series.axis_unit or series.metric_name


def _text_width(text: str, size: float) -> float:
    """Estimated width in points of the longest line of `text`."""
    return max(len(line) for line in text.split("\n")) * size * _CHAR_WIDTH


def _fit(text: str, size: float, width_pt: float) -> str:
    """`text` cut at a word boundary so that it fits `width_pt`."""
    limit = int(width_pt / (size * _CHAR_WIDTH))
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,:·") + "…"


def _title(text: str, width_pt: float) -> str:
    """The title on one line, or two when long; cut at a word if even two are not enough."""
    size = TITLE_SIZE * 1.08  # bold glyphs are wider
    lines = textwrap.wrap(text, int(width_pt / (size * _CHAR_WIDTH)))
    if len(lines) <= 2:
        return "\n".join(lines)
    return lines[0] + "\n" + _fit(" ".join(lines[1:]), size, width_pt)


def _footer(series: Series, width_pt: float) -> str:
    """One line per source (cut to fit), then what the values are."""
    marked = len(series.sources) > 1
    lines = []
    for i, source in enumerate(series.sources[:_MAX_SOURCE_LINES], 1):
        head = f"[{i}] " if marked else "Source: "
        publisher = source.publisher.split(" (")[0]  # "(publisher not printed)" does not fit a footer
        lines.append(_fit(f"{head}{publisher}, {source.date}: {source.title}", FOOTER_SIZE, width_pt))
    if len(series.sources) > _MAX_SOURCE_LINES:
        lines.append(f"and {len(series.sources) - _MAX_SOURCE_LINES} more sources (see the table)")
    lines.append("Values as the documents state them. Chart by factbot.")
    return "\n".join(lines)


def _has_gap(solid: list[SeriesPoint]) -> bool:
    return any(right.x - left.x > 1.01 for left, right in itertools.pairwise(solid))


@dataclass(frozen=True)
class _Frame:
    """Data to points inside the axes, for placing labels without drawing first."""

    x_min: float
    y_bottom: float  # the value at the bottom edge (the largest rank on an inverted axis)
    x_per_pt: float
    y_per_pt: float  # negative on an inverted (rank) axis
    width: float  # the axes in points
    height: float

    def at(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.x_min) / self.x_per_pt, (y - self.y_bottom) / self.y_per_pt


Box = tuple[float, float, float, float]  # left, right, bottom, top, in points inside the axes
Segment = tuple[tuple[float, float], tuple[float, float]]  # a piece of the line, in points inside the axes
Spot = tuple[int, int, str, str]  # a label's offset from its point, in points, and its alignment

# Where a value label may go, in order of preference: (dx, dy, ha, va) in points from its point.
_SPOTS = (
    (0, 11, "center", "bottom"), (8, 11, "right", "bottom"), (-8, 11, "left", "bottom"),
    (0, -13, "center", "top"), (8, -13, "right", "top"), (-8, -13, "left", "top"),
    (12, 0, "left", "center"), (-12, 0, "right", "center"), (7, -4, "left", "top"), (-7, 4, "right", "bottom"),
)  # fmt: skip


def _box(spot: Spot, origin: tuple[float, float], width: float, height: float) -> Box:
    dx, dy, ha, va = spot
    left = origin[0] + dx - {"center": width / 2, "right": width, "left": 0.0}[ha]
    bottom = origin[1] + dy - {"bottom": 0.0, "top": height, "center": height / 2}[va]
    return left, left + width, bottom, bottom + height


def _crosses(box: Box, segments: list[Segment]) -> bool:
    left, right, bottom, top = box
    for (x0, y0), (x1, y1) in segments:
        if x1 == x0:
            continue
        for x in (left + (right - left) * i / 10 for i in range(11)):
            if min(x0, x1) <= x <= max(x0, x1) and bottom - 2 <= y0 + (x - x0) * (y1 - y0) / (x1 - x0) <= top + 2:
                return True
    return False


def _overlaps(box: Box, others: list[Box]) -> bool:
    return any(box[0] < o[1] and o[0] < box[1] and box[2] < o[3] and o[2] < box[3] for o in others)


def _outside(box: Box, frame: _Frame) -> float:
    """How far, in points, a box sticks out of the plot."""
    return max(0.0, -box[0]) + max(0.0, box[1] - frame.width) + max(0.0, -box[2]) + max(0.0, box[3] - frame.height)


def _place_label(
    frame: _Frame, origin: tuple[float, float], text: str, segments: list[Segment], placed: list[Box], *,
    below_first: bool,
) -> Spot:  # fmt: skip
    """The spot for a label: inside the plot, off the line and off the other labels, or the least bad one."""
    width = _text_width(text, LABEL_SIZE)
    height = (text.count("\n") + 1) * LABEL_SIZE * 1.2
    spots = sorted(_SPOTS, key=lambda spot: spot[1] >= 0) if below_first else list(_SPOTS)
    scored = []
    for rank, spot in enumerate(spots):
        box = _box(spot, origin, width, height)
        # crossing the line or another label reads worse than a few points over the edge
        badness = _outside(box, frame) + 30.0 * _crosses(box, segments) + 60.0 * _overlaps(box, placed)
        scored.append((badness, rank, spot, box))
    _, _, spot, box = min(scored)
    placed.append(box)
    return spot


def _line_below(origin: tuple[float, float], segments: list[Segment]) -> bool:
    """Whether the point lies under the line of full years (so its label belongs below it)."""
    x, y = origin
    for (x0, y0), (x1, y1) in segments:
        if min(x0, x1) <= x <= max(x0, x1) and x1 != x0:
            return y < y0 + (x - x0) * (y1 - y0) / (x1 - x0)
    return False


def _draw_points(ax: Axes, series: Series, axes_width_pt: float, axes_height_pt: float) -> None:
    factor = series.scale_factor
    solid = [p for p in series.points if not p.partial]
    for left, right in itertools.pairwise(solid):
        gap = right.x - left.x > 1.01  # years with no figure in between: dashed, no invented trend
        ax.plot(
            [left.x, right.x], [left.value / factor, right.value / factor], color=FULL, linewidth=2.2,
            linestyle=(0, (4, 3)) if gap else "-", gid="segment", zorder=2,
        )  # fmt: skip
    groups = (
        ("points-full", [p for p in solid if not p.as_of], {"marker": "o", "color": FULL}),
        ("points-as-of", [p for p in solid if p.as_of], {"marker": "s", "color": FULL}),
        ("points-partial", [p for p in series.points if p.partial],
         {"marker": "o", "markerfacecolor": CARD, "markeredgecolor": PARTIAL, "markeredgewidth": 2.4}),
    )  # fmt: skip
    for gid, points, style in groups:
        if points:
            ax.plot(
                [p.x for p in points], [p.value / factor for p in points], linestyle="none",
                markersize=9, gid=gid, zorder=3, **style,
            )  # fmt: skip
    x_min, x_max = ax.get_xlim()
    y_bottom, y_top = ax.get_ylim()
    frame = _Frame(
        x_min, y_bottom, (x_max - x_min) / axes_width_pt, (y_top - y_bottom) / axes_height_pt,
        axes_width_pt, axes_height_pt,
    )  # fmt: skip
    where = {id(p): frame.at(p.x, p.value / factor) for p in series.points}
    segments = [(where[id(a)], where[id(b)]) for a, b in itertools.pairwise(solid)]
    placed: list[Box] = []
    for point in series.points:
        text = value_label(point, series)
        below = point.partial and _line_below(where[id(point)], segments)
        dx, dy, ha, va = _place_label(frame, where[id(point)], text, segments, placed, below_first=below)
        ax.annotate(
            text, (point.x, point.value / factor), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
            fontsize=LABEL_SIZE, color=PARTIAL if point.partial else TEXT, gid="value-label", zorder=4,
            linespacing=1.15,
        )  # fmt: skip


def _y_ticks(series: Series, low: float, high: float) -> list[float]:
    from matplotlib.ticker import MaxNLocator

    integer = series.unit in {"rank", "count"} and not series.scale
    ticks = [float(t) for t in MaxNLocator(nbins=5, integer=integer).tick_values(low, high) if low <= t <= high]
    if series.unit == "rank":
        ticks = [1.0, *(t for t in ticks if t > 1)]  # no "0th place"; first place is the top
    return ticks


def _limits(ax: Axes, series: Series) -> list[float]:
    """Set the axes' ranges and ticks; return the y ticks (their labels size the left margin)."""
    values = [p.value / series.scale_factor for p in series.points]
    low, high = min(values), max(values)
    if series.unit == "rank":
        bottom, top = high * 1.3 + 1, 0.0
        ticks = _y_ticks(series, 1, bottom)
    else:
        bottom = min(0.0, low * 1.25)  # zero in view, so that a small change does not look like a leap
        top = max(high, 0.0)
        pad = (top - bottom) * 0.25 or 1.0
        bottom, top = bottom - (pad * 0.4 if low < 0 else 0), top + pad
        ticks = _y_ticks(series, bottom, top)
    ax.set_ylim(bottom, top)
    ax.set_yticks(ticks, [f"{t:,.10g}" for t in ticks])
    first = min(p.period.start.year for p in series.points)
    last = max(p.period.end.year for p in series.points)
    ax.set_xlim(first - 0.15, last + 1.15)
    years = list(range(first, last + 1))
    step = max(1, math.ceil(len(years) / 8))
    ax.set_xticks([y + 0.5 for y in years[::step]], [str(y) for y in years[::step]])
    ax.set_xticks(list(range(first, last + 2)), minor=True)  # year boundaries
    ax.tick_params(axis="x", which="major", length=0, pad=6)
    ax.tick_params(axis="x", which="minor", length=5, color=BORDER)
    return ticks


def _style(ax: Axes, series: Series) -> None:
    ax.set_facecolor(CARD)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(BORDER)
    ax.tick_params(colors=BORDER, labelsize=TICK_SIZE, labelcolor=TEXT)
    ax.yaxis.grid(True, color=GRID, linewidth=0.9)
    ax.set_axisbelow(True)
    ax.set_ylabel(_axis_label(series), color=TEXT, fontsize=LABEL_SIZE)
    ax.set_xlabel("year (a point sits at the middle of the period it covers)", color=MUTED, fontsize=FOOTER_SIZE)


def _legend(fig: Figure, series: Series, y: float) -> None:
    from matplotlib.lines import Line2D

    partial = any(p.partial for p in series.points)
    handles = [
        Line2D([], [], color=FULL, marker="o", markersize=8, linewidth=2.2, label="full year" if partial else "year")
    ]
    if any(p.as_of for p in series.points):
        as_of = Line2D([], [], color=FULL, marker="s", markersize=8, linestyle="none", label="level as of a date")
        handles.append(as_of)
    if partial:
        handles.append(
            Line2D([], [], marker="o", markersize=8, linestyle="none", markerfacecolor=CARD, markeredgecolor=PARTIAL,
                   markeredgewidth=2.2, label="partial period")
        )  # fmt: skip
    if _has_gap([p for p in series.points if not p.partial]):
        handles.append(Line2D([], [], color=FULL, linewidth=2.2, linestyle=(0, (4, 3)), label="years without figures"))
    fig.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(_MARGIN_PT / (WIDTH_IN * 72), y), ncol=len(handles),
        frameon=False, fontsize=LEGEND_SIZE, labelcolor=TEXT, handlelength=2.0, handletextpad=0.5,
        columnspacing=1.2, borderaxespad=0, borderpad=0,
    )  # fmt: skip


def build_series_figure(series: Series) -> Figure:
    """The chart as a matplotlib Figure (no pyplot, so no global figure registry to leak into)."""
    if not series.chartable:
        raise ChartError(f"{series.title}: a chart needs two periods; the documents give {len(series.points)}.")
    if len(series.points) > MAX_POINTS:
        raise ChartError(f"{series.title}: at most {MAX_POINTS} points, not {len(series.points)}.")
    import matplotlib

    matplotlib.use("Agg")  # no display wherever this runs, including a worker thread or process
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=CARD)
    FigureCanvasAgg(fig)
    width_pt, height_pt = WIDTH_IN * 72, HEIGHT_IN * 72
    inner_pt = width_pt - 2 * _MARGIN_PT
    footer = _footer(series, inner_pt)
    title = _title(series.title, inner_pt)
    title_pt = len(title.split("\n")) * TITLE_SIZE * 1.25
    footer_pt = 8 + (footer.count("\n") + 1) * FOOTER_SIZE * 1.3
    bottom_pt = footer_pt + 10 + TICK_SIZE + 6 + FOOTER_SIZE * 1.4 + 4  # tick labels and the x label above it
    top_pt = 12 + title_pt + 8 + LEGEND_SIZE * 1.4 + 14  # the title and the legend row
    ax = fig.add_axes((0.1, bottom_pt / height_pt, 0.85, 1 - (top_pt + bottom_pt) / height_pt))
    _style(ax, series)
    ticks = _limits(ax, series)
    # the left margin holds the longest tick label and the axis label; nothing is cut off
    tick_pt = max(_text_width(f"{t:,.10g}", TICK_SIZE) for t in ticks)
    left_pt = _MARGIN_PT + LABEL_SIZE * 1.3 + 8 + tick_pt + 6
    right_pt = _MARGIN_PT + 4
    ax.set_position((left_pt / width_pt, bottom_pt / height_pt, 1 - (left_pt + right_pt) / width_pt,
                     1 - (top_pt + bottom_pt) / height_pt))  # fmt: skip
    _draw_points(ax, series, width_pt - left_pt - right_pt, height_pt - top_pt - bottom_pt)
    fig.text(_MARGIN_PT / width_pt, 1 - 12 / height_pt, title, fontsize=TITLE_SIZE, fontweight="bold",
             color=TEXT, va="top", linespacing=1.1)  # fmt: skip
    _legend(fig, series, 1 - (12 + title_pt + 8 + LEGEND_SIZE * 1.4) / height_pt)
    fig.text(_MARGIN_PT / width_pt, 8 / height_pt, footer, fontsize=FOOTER_SIZE, color=MUTED, va="bottom",
             linespacing=1.3)  # fmt: skip
    fig.patches.append(
        Rectangle((0, 0), 1, 1, transform=fig.transFigure, fill=False, edgecolor=BORDER, linewidth=2.5, zorder=10)
    )
    return fig


def render_series_png(series: Series) -> bytes:
    """The chart as PNG bytes. Synchronous and bounded: from async code run it in an executor."""
    with _RENDER_LOCK:
        fig = build_series_figure(series)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, facecolor=CARD, metadata={"Software": "factbot"})
    return buffer.getvalue()


async def render_series_png_async(series: Series, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """`render_series_png` in a worker thread; raises TimeoutError after `timeout` seconds.

    A thread cannot be killed: on timeout the render finishes in the background
    and its result is dropped. Rendering is bounded, so that costs little.
    """
    return await asyncio.wait_for(asyncio.to_thread(render_series_png, series), timeout)
