"""Small inline SVG charts drawn on the server: payments over time, and counts by category for the report."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from markupsafe import Markup

from api.web.names import code_name

WIDTH = 320
HEIGHT = 140
PAD_LEFT = 4
PAD_BOTTOM = 18
PAD_TOP = 14


def payments_chart(
    lines: Sequence[dict[str, str]], *, title: str, money: str = "₸", day: Callable[[str], str] = str
) -> Markup:
    """Bars of each instalment (``schedule`` lines of a Plan), scaled to the largest; first and last dates below."""
    if not lines:
        return Markup("")
    values = [Decimal(line["payment"]) for line in lines]
    top = max(values) or Decimal(1)
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    step = (WIDTH - PAD_LEFT * 2) / len(values)
    bar = max(step * 0.8, 1.0)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - PAD_LEFT}" y2="{HEIGHT - PAD_BOTTOM}" '
        'class="axis"/>',
    ]
    for i, (line, value) in enumerate(zip(lines, values, strict=True)):
        h = float(value / top) * plot_h
        x = PAD_LEFT + i * step + (step - bar) / 2
        y = HEIGHT - PAD_BOTTOM - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" class="bar">'
            f"<title>{escape(day(line['due_on']))}: {escape(line['payment'])} {money}</title></rect>"
        )
    parts.append(f'<text x="{PAD_LEFT}" y="{PAD_TOP - 3}" class="label">{_short(top)} {money}</text>')
    parts.append(f'<text x="{PAD_LEFT}" y="{HEIGHT - 4}" class="label">{escape(day(lines[0]["due_on"]))}</text>')
    parts.append(
        f'<text x="{WIDTH - PAD_LEFT}" y="{HEIGHT - 4}" class="label" text-anchor="end">'
        f"{escape(day(lines[-1]['due_on']))}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it was escaped


def bars_chart(items: Sequence[tuple[str, float]], *, title: str) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    if not items:
        return Markup("")
    row = 22
    label_w = 150
    height = row * len(items) + 4
    top = max(value for _, value in items) or 1.0
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = 2 + i * row
        w = (WIDTH - label_w - 40) * value / top
        parts.append(f'<text x="0" y="{y + 14}" class="label">{escape(_clip(label))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" class="bar"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" class="label">{value:g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it was escaped


def _clip(label: str, size: int = 25) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _short(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", " ")


def counts_chart(figures: Mapping[str, Mapping[str, Any]], kind: str, *, title: str) -> Markup:
    """Bars of a report's counts by code (``{code: {"count": n, …}}``), each code named as ``code_name(kind, code)``."""
    return bars_chart(
        [(code_name(kind, code), float(figure["count"])) for code, figure in figures.items()], title=title
    )
