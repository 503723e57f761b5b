"""The series chart: a valid, bounded PNG that draws exactly the series' points, legibly."""

from __future__ import annotations

import asyncio
import struct
import time
from typing import Any

import pytest

from bot.analysis import Series, answerable_pairs, series_keys, series_text_request
from bot.render import charts
from tests.helpers import real_engine

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a valid PNG has first."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def xinjiang_trade() -> Series:
    return series_text_request(real_engine(), "trade xinjiang")


def by_gid(fig: Any, gid: str) -> list[Any]:
    return [artist for ax in fig.axes for artist in [*ax.lines, *ax.texts] if artist.get_gid() == gid]


def test_the_png_is_a_valid_image_of_bounded_size() -> None:
    data = charts.render_series_png(xinjiang_trade())
    width, height = png_size(data)
    assert (width, height) == (1080, 691)  # fixed: 7.5 x 4.8 inches at 144 dpi
    assert len(data) < 300_000
    assert data.endswith(b"IEND\xaeB`\x82")


def test_the_figure_draws_full_years_joined_and_the_partial_period_apart() -> None:
    fig = charts.build_series_figure(xinjiang_trade())
    full = by_gid(fig, "points-full")
    partial = by_gid(fig, "points-partial")
    assert [tuple(xy) for xy in full[0].get_xydata()] == [(2022.5, 246.36), (2023.5, 357.33), (2024.5, 435.11)]
    assert [tuple(xy) for xy in partial[0].get_xydata()] == [(2023.25, 149.62)]
    assert partial[0].get_markerfacecolor() != partial[0].get_markeredgecolor()  # hollow
    segments = by_gid(fig, "segment")
    assert len(segments) == 2 and all(2023.25 not in seg.get_xdata() for seg in segments)  # H1 is not joined
    labels = [t.get_text() for t in by_gid(fig, "value-label")]
    assert labels == ["246.36 [1]", "149.62 [2]\nH1", "357.33 [1]", "435.11 [1]"]  # digits as the documents print them
    ax = fig.axes[0]
    assert ax.get_ylabel() == "billion yuan"
    assert "year" in ax.get_xlabel()
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "Xinjiang · foreign trade" in texts
    assert "[1] China Daily, 2025-03-07" in texts and "[2] Xinjiang news site, 2023-08-07" in texts
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["full year", "partial period"]


def test_years_without_figures_are_bridged_by_a_dashed_line() -> None:
    fig = charts.build_series_figure(series_text_request(real_engine(), "gdp xinjiang"))
    (segment,) = by_gid(fig, "segment")
    assert segment.get_linestyle() == "--"
    assert [t.get_text() for t in by_gid(fig, "value-label")] == ["930.69", "2.05 trillion"]  # billion-yuan axis
    assert "years without figures" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_a_rank_axis_puts_first_place_at_the_top() -> None:
    fig = charts.build_series_figure(series_text_request(real_engine(), "trade ranking kashi bonded zone"))
    bottom, top = fig.axes[0].get_ylim()
    assert bottom > top
    assert [t.get_text() for t in by_gid(fig, "value-label")] == ["49th", "27th\nJan–Nov"]


def test_a_single_point_is_refused() -> None:
    with pytest.raises(charts.ChartError, match="needs two periods"):
        charts.render_series_png(series_text_request(real_engine(), "trade kashgar"))


def _inside(inner: Any, outer: Any, slack: float = 2.0) -> bool:
    return (
        inner.x0 >= outer.x0 - slack and inner.x1 <= outer.x1 + slack
        and inner.y0 >= outer.y0 - slack and inner.y1 <= outer.y1 + slack
    )  # fmt: skip


def test_every_drawable_series_renders_with_its_labels_inside_the_plot_and_apart() -> None:
    store = real_engine().store
    pairs = answerable_pairs(store, min_points=2)
    assert len(pairs) >= 5
    for pair in pairs:
        found = series_keys(store, pair.place, pair.metric)
        fig = charts.build_series_figure(found)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        plot = fig.axes[0].get_window_extent(renderer)
        card = fig.bbox
        labels = [t.get_window_extent(renderer) for t in by_gid(fig, "value-label")]
        assert len(labels) == len(found.points), pair
        for box in labels:
            assert _inside(box, plot, slack=4.0), (pair, box, plot)
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not a.overlaps(b), (pair, a, b)
        for text in [*fig.texts, *fig.legends[0].get_texts()]:
            assert _inside(text.get_window_extent(renderer), card), (pair, text.get_text())
        drawn = sum(len(line.get_xdata()) for line in fig.axes[0].lines if line.get_gid().startswith("points-"))
        assert drawn == len(found.points), pair


async def test_the_async_render_returns_the_png_and_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    data = await charts.render_series_png_async(xinjiang_trade(), timeout=30)
    assert png_size(data) == (1080, 691)

    def slow(series: Series) -> bytes:
        time.sleep(0.3)  # longer than the timeout; short, because the loop waits for the thread at exit
        return b""

    monkeypatch.setattr(charts, "render_series_png", slow)
    with pytest.raises(asyncio.TimeoutError):
        await charts.render_series_png_async(xinjiang_trade(), timeout=0.05)
