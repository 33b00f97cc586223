"""Charts as inline SVG, drawn here from numbers (no JavaScript, no external library).

Every text that goes into the SVG is escaped (``markupsafe.escape``): labels may be program
names or rule ids today and repository text tomorrow. Colours come from CSS classes
(``report.css``), so the printed page and the screen agree; every bar also carries its
number, so the charts read in black and white. The same :class:`Chart` feeds the data
table printed under each chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Chart", "Series", "svg"]

_W = 600  # viewBox width; the SVG scales to its container
_BAR = 22
_GAP = 10
_FONT = 13


@dataclass(frozen=True)
class Series:
    label: str
    css: str  # a class in report.css: fill colour of the bars or stroke of the line
    values: tuple[int, ...]  # one per category


@dataclass(frozen=True)
class Chart:
    id: str  # unique within the page (SVG title id)
    kind: str  # "hbar" (stacked horizontal bars) | "columns" (stacked columns) | "line"
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    note: str = ""  # shown under the chart (e.g. what was left out)
    # The second line of each category (after a newline) depends on when scans ran: it is
    # marked data-volatile, like every scan time on the pages (reports/demo's currency test).
    volatile_detail: bool = False
    details: tuple[str, ...] = ()  # one per category, shown in the data table (e.g. a rule's title)

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.series for v in s.values)

    def total(self, i: int) -> int:
        return sum(s.values[i] for s in self.series)


def _e(text: object) -> str:
    return str(escape(str(text)))


def _open(chart: Chart, height: int) -> list[str]:
    return [
        f'<svg class="chart chart-{_e(chart.kind)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" '
        f'role="img" aria-labelledby="{_e(chart.id)}-t" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{_e(chart.id)}-t">{_e(chart.title)}</title>',
    ]


def _legend(chart: Chart, y: int) -> list[str]:
    out, x = [], 0
    for s in chart.series:
        out.append(f'<rect class="{_e(s.css)}" x="{x}" y="{y}" width="12" height="12"/>')
        out.append(f'<text x="{x + 16}" y="{y + 11}" font-size="{_FONT - 1}">{_e(s.label)}</text>')
        x += 28 + 8 * len(s.label) if s.label.isascii() else 28 + 14 * len(s.label)
    return out


def _category(cat: str, x: float, y: float, volatile: bool = False) -> str:
    """A category label under a column; a second line (a year, a date) after a newline."""
    first, _nl, second = cat.partition("\n")
    text = f'<text class="cat" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="{_FONT - 2}">{_e(first)}'
    if second:
        mark = " data-volatile" if volatile else ""
        text += f'<tspan x="{x:.1f}" dy="1.2em"{mark}>{_e(second)}</tspan>'
    return text + "</text>"


def _hbar(chart: Chart) -> str:
    label_w = min(260, 30 + 8 * max((len(c) for c in chart.categories), default=4))
    top = 26
    height = top + len(chart.categories) * (_BAR + _GAP) + 10
    out = _open(chart, height)
    out += _legend(chart, 0)
    width = _W - label_w - 50
    biggest = max((chart.total(i) for i in range(len(chart.categories))), default=0) or 1
    for i, cat in enumerate(chart.categories):
        y = top + i * (_BAR + _GAP)
        out.append(
            f'<text class="cat" x="{label_w - 8}" y="{y + _BAR * 0.7:.1f}" text-anchor="end" font-size="{_FONT}">'
            f"{_e(cat)}</text>"
        )
        x = float(label_w)
        for s in chart.series:
            v = s.values[i]
            if not v:
                continue
            w = width * v / biggest
            out.append(
                f'<rect class="{_e(s.css)}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{_BAR}">'
                f"<title>{_e(cat)} · {_e(s.label)}: {v}</title></rect>"
            )
            if w >= 18:
                out.append(
                    f'<text class="in" x="{x + w / 2:.1f}" y="{y + _BAR * 0.7:.1f}" text-anchor="middle" '
                    f'font-size="{_FONT - 1}">{v}</text>'
                )
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + _BAR * 0.7:.1f}" font-size="{_FONT}">{chart.total(i)}</text>')
    out.append("</svg>")
    return "".join(out)


def _columns(chart: Chart) -> str:
    height, top, bottom, left = 240, 26, 40, 36
    n = max(len(chart.categories), 1)
    slot = (_W - left) / n
    bar = min(40.0, slot * 0.7)
    biggest = max((chart.total(i) for i in range(len(chart.categories))), default=0) or 1
    plot = height - top - bottom
    out = _open(chart, height)
    out += _legend(chart, 0)
    out.append(f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{_W}" y2="{height - bottom}"/>')
    out.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="{_FONT - 2}">{biggest}</text>')
    out.append(f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="{_FONT - 2}">0</text>')
    for i, cat in enumerate(chart.categories):
        x = left + i * slot + (slot - bar) / 2
        y = float(height - bottom)
        for s in chart.series:
            v = s.values[i]
            if not v:
                continue
            h = plot * v / biggest
            y -= h
            out.append(
                f'<rect class="{_e(s.css)}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}">'
                f"<title>{_e(cat)} · {_e(s.label)}: {v}</title></rect>"
            )
        if chart.total(i):
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="{_FONT - 2}">'
                f"{chart.total(i)}</text>"
            )
        out.append(_category(cat, x + bar / 2, height - bottom + 16, chart.volatile_detail))
    out.append("</svg>")
    return "".join(out)


def _line(chart: Chart) -> str:
    height, top, bottom, left, right = 240, 26, 40, 36, 20
    n = len(chart.categories)
    biggest = max((v for s in chart.series for v in s.values), default=0) or 1
    plot = height - top - bottom
    step = (_W - left - right) / max(n - 1, 1)
    out = _open(chart, height)
    out += _legend(chart, 0)
    out.append(f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{_W - right}" y2="{height - bottom}"/>')
    out.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="{_FONT - 2}">{biggest}</text>')
    out.append(f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="{_FONT - 2}">0</text>')

    def xy(i: int, v: int) -> tuple[float, float]:
        x = left + (i * step if n > 1 else (_W - left - right) / 2)
        return x, height - bottom - plot * v / biggest

    for s in chart.series:
        pts = [xy(i, v) for i, v in enumerate(s.values)]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            out.append(f'<polyline class="{_e(s.css)}" fill="none" stroke-width="2.5" points="{path}"/>')
        for (x, y), v in zip(pts, s.values, strict=True):
            out.append(
                f'<circle class="{_e(s.css)}" cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{_e(s.label)}: {v}</title></circle>'
            )
            out.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="{_FONT - 2}">{v}</text>')
    for i, cat in enumerate(chart.categories):
        x, _y = xy(i, 0)
        out.append(_category(cat, x, height - bottom + 16, chart.volatile_detail))
    out.append("</svg>")
    return "".join(out)


def svg(chart: Chart) -> Markup:
    """The chart as an inline ``<svg>`` element (safe to insert into a page as is)."""
    if chart.kind == "hbar":
        text = _hbar(chart)
    elif chart.kind == "columns":
        text = _columns(chart)
    else:
        text = _line(chart)
    return Markup(text)  # noqa: S704 - every interpolated text above went through escape()
