"""The anomaly report's charts as inline SVG: the hour × weekday heat map and the daily volume
against its band (issue 10, point 4).

Both are plain SVG text — no script, no font or image from anywhere — and meant to be printed
(a state data centre's operator files the report): the heat map's colours are ColorBrewer's
YlGnBu, whose lightness rises steadily, so the order of its classes survives a grey-scale
printer; days above the band are marked by a triangle and their count as well as by colour.
Each chart is an image with a ``<title>`` and a ``<desc>`` saying what it shows in words, each
cell and bar has a ``<title>`` (a tooltip on screen), and every text is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from datenspiegel.protocol.anomalies.report_model import WEEKDAYS, DailyPoint, HeatMap

__all__ = ["ABOVE", "BAND", "BAR", "HEAT_COLOURS", "classes", "daily_svg", "heat_map_svg"]

#: The heat map's classes, lightest first (YlGnBu, without its near-white first colours:
#: an empty cell is white).
HEAT_COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
EMPTY = "#ffffff"
GRID = "#c8c8c8"
BAR = "#2b8cbe"
ABOVE = "#d94801"
BAND = "#d4d4d4"
MEDIAN = "#252525"
OFF_DAY = "#f6efdf"
INK = "#1a1a1a"
MUTED = "#555555"
_FONT = "font-family=\"'Liberation Sans', 'DejaVu Sans', Arial, Helvetica, sans-serif\""
_SVG = 'xmlns="http://www.w3.org/2000/svg" role="img"'


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_step(raw: float) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above ``raw``."""
    if raw <= 1:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def _nearest_nice(value: float) -> int:
    """The number of the series 1, 2, 5, 10, 20, 50, … nearest to ``value`` on a log scale."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    candidates = [f * power for f in (1, 2, 5, 10)]
    return int(min(candidates, key=lambda c: abs(math.log(c / value))))


def classes(peak: int) -> list[tuple[int, int, str]]:
    """The heat map's classes for a map whose busiest cell holds ``peak``: ``(low, high,
    colour)``, at most six, contiguous from 1 to ``peak``. Up to six records a cell each
    count has its class; above, the bounds grow geometrically (1, 2, 5, 10, 20, 50, …) so
    that a few records at night stand out as clearly as the difference between busy hours."""
    if peak <= 0:
        return []
    n = len(HEAT_COLOURS)
    if peak <= n:
        uppers = list(range(1, peak + 1))
    else:
        uppers = []
        for i in range(1, n):
            bound = _nearest_nice(peak ** (i / n))
            if bound < peak and (not uppers or bound > uppers[-1]):
                uppers.append(bound)
        uppers.append(peak)
    lows = [1] + [u + 1 for u in uppers[:-1]]
    count = len(uppers)
    if count == 1:
        picks = [n // 2]
    else:
        picks = [round(i * (n - 1) / (count - 1)) for i in range(count)]
    return [(low, high, HEAT_COLOURS[p]) for low, high, p in zip(lows, uppers, picks, strict=True)]


def _colour(value: int, bins: Sequence[tuple[int, int, str]]) -> str:
    if value <= 0:
        return EMPTY
    for _low, high, colour in bins:
        if value <= high:
            return colour
    return bins[-1][2]


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _legend(
    items: Sequence[tuple[str, str]], *, x: float, y: float, width: float
) -> tuple[list[str], float]:
    """Legend entries (``svg`` of a 10 × 10 key, label) in rows no wider than ``width``;
    the elements and the height used."""
    parts: list[str] = []
    cx, cy = x, y
    for key, label in items:
        advance = 16 + len(label) * 5.4 + 12
        if cx > x and cx + advance > x + width:
            cx, cy = x, cy + 15
        parts.append(f'<g transform="translate({_n(cx)},{_n(cy)})">{key}')
        parts.append(f'<text x="15" y="9" font-size="10" fill="{INK}">{_e(label)}</text></g>')
        cx += advance
    return parts, cy - y + 15


def _swatch(fill: str, *, stroke: str = GRID) -> str:
    return f'<rect width="10" height="10" fill="{fill}" stroke="{stroke}" stroke-width="0.6"/>'


# -- hour × weekday ---------------------------------------------------------------------------

_CELL = 13
_HEAT_LEFT = 34
_HEAT_TOP = 6


def heat_map_svg(
    heat: HeatMap,
    *,
    title: str,
    ident: str,
    night_start_hour: int = 22,
    night_end_hour: int = 6,
) -> str:
    """Records per local weekday (rows, Monday on top) and hour (columns), darker = more;
    office time (Monday–Friday outside the night) framed by a dashed line."""
    bins = classes(heat.peak)
    grid_w = 24 * _CELL
    width = _HEAT_LEFT + grid_w + 8
    rows_bottom = _HEAT_TOP + 7 * _CELL
    parts = [
        f'<rect x="{_HEAT_LEFT}" y="{_HEAT_TOP}" width="{grid_w}" height="{7 * _CELL}" '
        f'fill="{EMPTY}" stroke="{GRID}" stroke-width="0.6"/>'
    ]
    for day, row in enumerate(heat.counts):
        y = _HEAT_TOP + day * _CELL
        parts.append(
            f'<text x="{_HEAT_LEFT - 5}" y="{y + 10}" font-size="10" text-anchor="end" '
            f'fill="{INK}">{WEEKDAYS[day][:3]}</text>'
        )
        for hour, value in enumerate(row):
            x = _HEAT_LEFT + hour * _CELL
            tip = f"{WEEKDAYS[day]} {hour:02d}:00–{hour + 1:02d}:00: {value} record"
            tip += "" if value == 1 else "s"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{_CELL}" height="{_CELL}" '
                f'fill="{_colour(value, bins)}" stroke="{GRID}" stroke-width="0.4">'
                f"<title>{_e(tip)}</title></rect>"
            )
    for hour in range(0, 25, 3):
        x = _HEAT_LEFT + hour * _CELL
        parts.append(
            f'<line x1="{x}" y1="{rows_bottom}" x2="{x}" y2="{rows_bottom + 3}" '
            f'stroke="{MUTED}" stroke-width="0.8"/>'
            f'<text x="{x}" y="{rows_bottom + 13}" font-size="9.5" text-anchor="middle" '
            f'fill="{MUTED}">{hour:02d}</text>'
        )
    office_from, office_to = night_end_hour, night_start_hour
    if office_from < office_to:
        parts.append(
            f'<rect x="{_HEAT_LEFT + office_from * _CELL}" y="{_HEAT_TOP}" '
            f'width="{(office_to - office_from) * _CELL}" height="{5 * _CELL}" fill="none" '
            f'stroke="{INK}" stroke-width="1.4" stroke-dasharray="4 2.5"/>'
        )
    items = [(_swatch(EMPTY), "0")]
    items += [(_swatch(colour, stroke=colour), _range(low, high)) for low, high, colour in bins]
    frame = (
        f'<rect width="10" height="10" fill="none" stroke="{INK}" stroke-width="1.2" '
        'stroke-dasharray="3 2"/>'
    )
    items.append((frame, f"office time ({office_from:02d}–{office_to:02d}, Mon–Fri)"))
    legend, legend_h = _legend(items, x=_HEAT_LEFT, y=rows_bottom + 22, width=grid_w)
    height = rows_bottom + 22 + legend_h + 2
    busiest = _busiest(heat)
    desc = (
        f"{heat.total} records by local weekday and hour; "
        + (f"busiest hour {busiest}. " if busiest else "none. ")
        + "Colour classes: "
        + ", ".join(_range(low, high) for low, high, _c in bins)
        + (" records per hour cell." if bins else "")
    )
    return (
        f'<svg {_SVG} viewBox="0 0 {width} {_n(height)}" width="{width}" height="{_n(height)}" '
        f'aria-labelledby="{ident}-t {ident}-d" class="chart heat" {_FONT}>'
        f'<title id="{ident}-t">{_e(title)}</title><desc id="{ident}-d">{_e(desc)}</desc>'
        + "".join(parts)
        + "".join(legend)
        + "</svg>"
    )


def _busiest(heat: HeatMap) -> str:
    best = (0, 0, 0)
    for day, row in enumerate(heat.counts):
        for hour, value in enumerate(row):
            if value > best[0]:
                best = (value, day, hour)
    value, day, hour = best
    if value == 0:
        return ""
    return f"{WEEKDAYS[day]} {hour:02d}:00–{hour + 1:02d}:00 with {value} records"


# -- daily volume and its band ----------------------------------------------------------------

_DAILY_W = 440
_LEFT = 40
_RIGHT = 8
_TOP = 16
_PLOT_H = 120


def _ticks(top: float) -> tuple[int, list[int]]:
    """A nice axis maximum at or above ``top`` and its 3–5 gridline values."""
    step = _nice_step(max(top, 1) / 4)
    ceiling = step * max(1, math.ceil(max(top, 1) / step))
    return ceiling, list(range(0, ceiling + 1, step))


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def daily_svg(
    points: Sequence[DailyPoint],
    *,
    title: str,
    ident: str,
    band_k: float,
    baseline_days: int,
) -> str:
    """A bar per local day; behind it the band (grey) and its median (black line) learnt from
    the days before; days above the band in orange with a triangle and their count."""
    n = max(1, len(points))
    plot_w = _DAILY_W - _LEFT - _RIGHT
    slot = plot_w / n
    top_value = max(
        [p.records for p in points] + [p.band.high for p in points if p.band is not None] + [1]
    )
    ceiling, ticks = _ticks(top_value * 1.08)
    bottom = _TOP + _PLOT_H

    def y_of(value: float) -> float:
        return bottom - value / ceiling * _PLOT_H

    parts: list[str] = []
    for i, p in enumerate(points):
        if p.off_day is not None:
            parts.append(
                f'<rect x="{_n(_LEFT + i * slot)}" y="{_TOP}" width="{_n(slot)}" '
                f'height="{_PLOT_H}" fill="{OFF_DAY}"/>'
            )
    for value in ticks:
        y = y_of(value)
        parts.append(
            f'<line x1="{_LEFT}" y1="{_n(y)}" x2="{_DAILY_W - _RIGHT}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="{0.9 if value == 0 else 0.5}"/>'
            f'<text x="{_LEFT - 4}" y="{_n(y + 3.5)}" font-size="9.5" text-anchor="end" '
            f'fill="{MUTED}">{value}</text>'
        )
    for i, p in enumerate(points):
        if p.band is None:
            continue
        x = _LEFT + i * slot
        high, low = y_of(p.band.high), y_of(p.band.low)
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(high)}" width="{_n(slot)}" '
            f'height="{_n(max(low - high, 0.8))}" fill="{BAND}"/>'
        )
    bar_w = max(1.0, slot * 0.64)
    label_above = slot >= 11
    for i, p in enumerate(points):
        x = _LEFT + i * slot + (slot - bar_w) / 2
        y = y_of(p.records)
        colour = ABOVE if p.above_band else BAR
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{_n(bottom - y)}" '
            f'fill="{colour}"><title>{_e(_bar_tip(p, band_k))}</title></rect>'
        )
        if p.band is not None:
            m = y_of(p.band.median)
            parts.append(
                f'<line x1="{_n(_LEFT + i * slot + 0.5)}" y1="{_n(m)}" '
                f'x2="{_n(_LEFT + (i + 1) * slot - 0.5)}" y2="{_n(m)}" stroke="{MEDIAN}" '
                'stroke-width="1.5"/>'
            )
        if p.above_band:
            cx = x + bar_w / 2
            tip_y = y - 3
            parts.append(
                f'<path d="M{_n(cx - 4)},{_n(tip_y - 6)} L{_n(cx + 4)},{_n(tip_y - 6)} '
                f'L{_n(cx)},{_n(tip_y)} Z" fill="{ABOVE}"/>'
            )
            if label_above:
                parts.append(
                    f'<text x="{_n(cx)}" y="{_n(tip_y - 8)}" font-size="9" text-anchor="middle" '
                    f'font-weight="bold" fill="{INK}">{p.records}</text>'
                )
    parts.extend(_day_labels(points, slot, bottom))
    legend_items = [
        (_swatch(BAR, stroke=BAR), "records a day"),
        (_swatch(ABOVE, stroke=ABOVE), "above the band"),
        (_swatch(BAND, stroke=BAND), f"band (± {_fmt(band_k)} σ)"),
        (f'<line x1="0" y1="5" x2="10" y2="5" stroke="{MEDIAN}" stroke-width="1.8"/>', "median"),
        (_swatch(OFF_DAY, stroke=GRID), "weekend, holiday"),
    ]
    legend, legend_h = _legend(legend_items, x=_LEFT, y=bottom + 32, width=plot_w)
    height = bottom + 32 + legend_h + 2
    return (
        f'<svg {_SVG} viewBox="0 0 {_DAILY_W} {_n(height)}" width="{_DAILY_W}" '
        f'height="{_n(height)}" aria-labelledby="{ident}-t {ident}-d" class="chart daily" '
        f"{_FONT}>"
        f'<title id="{ident}-t">{_e(title)}</title>'
        f'<desc id="{ident}-d">{_e(_daily_desc(points, band_k, baseline_days))}</desc>'
        + "".join(parts)
        + "".join(legend)
        + "</svg>"
    )


def _bar_tip(p: DailyPoint, band_k: float) -> str:
    text = f"{WEEKDAYS[p.day.weekday()]} {p.day.isoformat()}: {p.records} records"
    if p.off_day is not None and p.off_day not in WEEKDAYS:
        text += f" ({p.off_day})"
    if p.band is None:
        return text + "; no band (fewer active days before it than needed)"
    b = p.band
    return (
        f"{text}; band {_fmt(b.low)}–{_fmt(b.high)}, median {_fmt(b.median)} "
        f"({b.days} active days before it)" + ("; ABOVE the band" if p.above_band else "")
    )


def _daily_desc(points: Sequence[DailyPoint], band_k: float, baseline_days: int) -> str:
    total = sum(p.records for p in points)
    above = [p for p in points if p.above_band]
    text = (
        f"{total} records in {len(points)} days. Band: median ± {_fmt(band_k)} robust standard "
        f"deviations of the active days of the same kind (working or off) among the "
        f"{baseline_days} days before each day."
    )
    if above:
        text += " Above the band: " + "; ".join(
            f"{p.day.isoformat()} ({p.records}, band up to {_fmt(p.band.high)})"
            for p in above
            if p.band is not None
        )
        text += "."
    else:
        text += " No day above its band."
    return text


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day_labels(points: Sequence[DailyPoint], slot: float, bottom: float) -> list[str]:
    """Day numbers under the bars (every day when there is room, else Mondays), the month
    under its first labelled day; off days' numbers in italics."""
    parts: list[str] = []
    every = 1 if slot >= 12 else (2 if slot >= 7 else 7)
    month_shown: set[tuple[int, int]] = set()
    for i, p in enumerate(points):
        labelled = (
            (every == 1) or (every == 2 and i % 2 == 0) or (every == 7 and p.day.weekday() == 0)
        )
        if not labelled:
            continue
        cx = _LEFT + (i + 0.5) * slot
        style = ' font-style="italic"' if p.off_day is not None else ""
        parts.append(
            f'<text x="{_n(cx)}" y="{_n(bottom + 12)}" font-size="9.5" text-anchor="middle" '
            f'fill="{INK}"{style}>{p.day.day}</text>'
        )
        month = (p.day.year, p.day.month)
        if month not in month_shown:
            month_shown.add(month)
            parts.append(
                f'<text x="{_n(cx)}" y="{_n(bottom + 24)}" font-size="9.5" text-anchor="middle" '
                f'fill="{MUTED}">{_MONTHS[p.day.month - 1]} {p.day.year}</text>'
            )
    return parts
