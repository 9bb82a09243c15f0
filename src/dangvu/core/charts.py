"""Charts drawn on the server as inline SVG: bars (one per branch or category), stacked bars (levels within each
branch, as shares) and columns over time (trends by month or year).

Why SVG from the server and not a JavaScript library: the figures are already on the page; an inline SVG needs no
download, no script and no second request (a few kilobytes on a slow rural link, nothing to install or serve), it
prints, it scales to a phone's width through its viewBox, and Django escapes every label like any other text.
Each chart carries its figures in words for screen readers (`aria-label`) and as a table beside it to read or copy
(the template `core/chart.html`). A chart lists at most `LIMIT` bars: the rest stay in its table, so no chart grows
past a few kilobytes whatever the subtree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LIMIT = 30
STACKED_LIMIT = 15  # a stacked bar carries one rectangle per level
WIDTH = 400  # viewBox units; the SVG is as wide as its container
PALETTE = ["#b91c1c", "#1d4ed8", "#047857", "#b45309", "#6d28d9", "#0e7490", "#be185d", "#4d7c0f", "#57534e"]


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as shown ("12", "85%")
    y: float = 0
    width: float = 0
    href: str = ""


@dataclass
class Segment:
    label: str
    value: int
    x: float
    width: float
    colour: int  # the index in PALETTE (CSS classes .s0 … .s8)


@dataclass
class StackRow:
    label: str
    total: int
    y: float
    segments: list[Segment]
    href: str = ""


@dataclass
class Column:
    label: str
    value: float
    x: float
    y: float
    height: float
    show_label: bool


@dataclass
class Chart:
    kind: str  # "bars" | "stacked" | "columns"
    title: str
    height: float
    summary: str  # the figures in words
    head: list[str]  # the table's header
    table: list[list]  # the table's rows
    bars: list[Bar] = field(default_factory=list)
    rows: list[StackRow] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    hidden: int = 0  # bars left out of the drawing (in the table)
    width: int = WIDTH
    unit: str = ""
    baseline: float = 0
    bar_width: float = 0


def _num(v: float) -> str:
    """The Vietnamese way: 1.234 and 85,5."""
    text = f"{v:,.1f}".removesuffix(".0") if isinstance(v, float) else f"{v:,}"
    return text.translate(str.maketrans({",": ".", ".": ","}))


def bars(title: str, items: list[tuple], *, unit: str = "", max_value: float | None = None,
         head: tuple[str, str] = ("", "Số lượng")) -> Chart:  # fmt: skip
    """Horizontal bars, one per (label, value[, href]); `unit` "%" scales to 100."""
    items = [(i[0], i[1] or 0, i[2] if len(i) > 2 else "") for i in items]
    top = max_value or max((v for _, v, _ in items), default=0) or 1
    drawn = items[:LIMIT]
    out = []
    for n, (label, v, href) in enumerate(drawn):
        out.append(Bar(str(label), v, _num(v) + unit, y=n * 34, width=round(max(0, v) / top * (WIDTH - 60), 1),
                       href=href))  # fmt: skip
    summary = "; ".join(f"{b.label}: {b.text}" for b in out)
    return Chart("bars", title, max(1, len(out)) * 34, summary, [head[0], head[1]],
                 [[label, _num(v) + unit] for label, v, _ in items], bars=out, hidden=len(items) - len(drawn),
                 unit=unit)  # fmt: skip


def stacked(title: str, categories: list[str], rows: list[tuple]) -> Chart:
    """One bar per (label, [n per category][, href]), its segments as shares of the row's total."""
    legend = [(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(categories)]
    shade = [i % len(PALETTE) for i in range(len(categories))]
    drawn = rows[:STACKED_LIMIT]
    out = []
    for n, r in enumerate(drawn):
        label, counts = r[0], r[1]
        total = sum(counts)
        x, segs = 0.0, []
        for i, v in enumerate(counts):
            w = round(v / total * WIDTH, 1) if total else 0
            if w:
                segs.append(Segment(categories[i], v, round(x, 1), w, shade[i]))
            x += w
        out.append(StackRow(str(label), total, n * 34, segs, r[2] if len(r) > 2 else ""))
    # the shares of each row are in the table beside it (one row per line): the label says so, and stays short
    summary = f"{len(rows)} dòng, chia theo {', '.join(categories)}; số liệu trong bảng ngay dưới biểu đồ"
    return Chart("stacked", title, max(1, len(out)) * 34, summary, ["", *categories, "Tổng"],
                 [[r[0], *r[1], sum(r[1])] for r in rows], rows=out, legend=legend,
                 hidden=len(rows) - len(drawn))  # fmt: skip


def columns(title: str, points: list[tuple[str, float]], *, unit: str = "", head: str = "Số lượng") -> Chart:
    """Vertical columns over time, (label, value) oldest first; a label under every few columns."""
    points = points[-LIMIT:]
    top = max((v or 0 for _, v in points), default=0) or 1
    h = 120
    step = WIDTH / max(1, len(points))
    every = max(1, len(points) // 8)
    cols = []
    for i, (label, v) in enumerate(points):
        ch = round((v or 0) / top * h, 1)
        cols.append(Column(str(label), v or 0, round(i * step + step * 0.15, 1), round(h - ch + 14, 1), ch,
                           i % every == 0 or i == len(points) - 1))  # fmt: skip
    summary = "; ".join(f"{c.label}: {_num(c.value)}{unit}" for c in cols)
    return Chart("columns", title, h + 34, summary, ["", head], [[label, _num(v or 0) + unit] for label, v in points],
                 columns=cols, unit=unit, baseline=h + 14, bar_width=round(step * 0.7, 1))  # fmt: skip
