"""Server-rendered SVG line chart of a citizen's self-ratings over time.

No JavaScript and no inline ``style`` (the Content-Security-Policy forbids it): only SVG
presentation attributes. The chart is an image with a title and description; the page
shows the same numbers in a table for screen readers and keyboard users."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Okabe–Ito colours (distinguishable with colour-vision deficiencies), each with its own
# dash pattern and marker shape so the lines differ without colour too.
STYLES = [
    ("#0072B2", "", "circle"),
    ("#D55E00", "6 3", "square"),
    ("#009E73", "2 3", "diamond"),
    ("#CC79A7", "8 3 2 3", "triangle"),
    ("#6B5300", "12 4", "circle"),
    ("#56B4E9", "4 4", "square"),
]

WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 30  # room for the dates below the plot


def _fmt(moment) -> str:
    # The local date: an answer given at 00.30 belongs to that day, not to the UTC day before.
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _marker(shape: str, x: float, y: float, colour: str, key: str, title: str) -> str:
    common = f'fill="{colour}" stroke="#ffffff" stroke-width="1" class="samplan-chart-point" data-item="{escape(key)}"'
    tip = f"<title>{escape(title)}</title>"
    if shape == "square":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" {common}>{tip}</rect>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
        return f'<polygon points="{pts}" {common}>{tip}</polygon>'
    if shape == "triangle":
        pts = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},{y + 5:.1f}"
        return f'<polygon points="{pts}" {common}>{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" {common}>{tip}</circle>'


def line_chart(series: list, *, y_min: int, y_max: int, title: str, description: str = "", chart_id: str = "chart") -> str:
    """``series``: [(key, label, [(datetime, value), …]), …] with points oldest first.
    Returns safe SVG markup with one marker per point (``data-item`` = the series key)."""
    points = [p for _k, _l, pts in series for p in pts]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    if points:
        t0 = min(p[0] for p in points)
        t1 = max(p[0] for p in points)
    else:
        t0 = t1 = timezone.now()
    span = (t1 - t0).total_seconds()

    def x_of(t) -> float:
        if span <= 0:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (t - t0).total_seconds() / span

    def y_of(v) -> float:
        return TOP + plot_h * (y_max - v) / (y_max - y_min)

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="samplan-chart" id="{escape(chart_id)}" '
        f'font-family="IBM Plex Sans, Arial, sans-serif" font-size="15">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Horizontal grid and the y axis values.
    for v in range(y_min, y_max + 1):
        y = y_of(v)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e0e0e0" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#1a1a1a">{v}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#595959" stroke-width="1"/>')
    bottom = TOP + plot_h
    out.append(f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#595959" stroke-width="1"/>')
    # Dates on the x axis: first and last (and the middle one when there are several).
    if points:
        ticks = sorted({t0, t1})
        times = sorted({p[0] for p in points})
        if len(times) > 2:
            ticks.append(times[len(times) // 2])
        for t in sorted(set(ticks)):
            x = x_of(t)
            anchor = "start" if x <= LEFT + 1 else ("end" if x >= WIDTH - RIGHT - 1 else "middle")
            out.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 20}" text-anchor="{anchor}" fill="#1a1a1a">{_fmt(t)}</text>')
    else:
        out.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" fill="#1a1a1a">'
            "Ingen besvarelser endnu</text>"
        )
    # Lines and markers.
    for n, (key, label, pts) in enumerate(series):
        colour, dash, shape = STYLES[n % len(STYLES)]
        if len(pts) > 1:
            coords = " ".join(f"{x_of(t):.1f},{y_of(v):.1f}" for t, v in pts)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        for t, v in pts:
            out.append(_marker(shape, x_of(t), y_of(v), colour, key, f"{label} {_fmt(t)}: {v}"))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text and attribute above is escaped


def legend(series_labels: list) -> str:
    """The legend as an HTML list (text that scales with the page), each entry with a small
    SVG swatch in the series' colour, dash pattern and marker shape."""
    out = ['<ul class="samplan-chart-legend nobullet-list">']
    for n, label in enumerate(series_labels):
        colour, dash, shape = STYLES[n % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        marker = _marker(shape, 16, 8, colour, "", label).replace(' class="samplan-chart-point" data-item=""', "")
        out.append(
            f'<li><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 16" width="32" height="16" aria-hidden="true" '
            f'focusable="false" class="samplan-swatch"><line x1="0" y1="8" x2="32" y2="8" stroke="{colour}" stroke-width="2.5"'
            f"{dash_attr}/>{marker}</svg> {escape(label)}</li>"
        )
    out.append("</ul>")
    return mark_safe("".join(out))  # noqa: S308 — every text and attribute above is escaped


def trend_chart(trend, *, title: str = "Udvikling i dine svar", chart_id: str = "chime-chart") -> str:
    """The chart of a ``services.Trend`` followed by its legend."""
    series = [(i.key, i.label, trend.series.get(i.key, [])) for i in trend.items]
    n = len(trend.responses)
    description = (
        f"Linjediagram med {n} besvarelse{'r' if n != 1 else ''} på en skala fra {trend.scale_min} til {trend.scale_max}. "
        "De samme tal står i tabellen under diagrammet."
    )
    svg = line_chart(
        series,
        y_min=trend.scale_min,
        y_max=trend.scale_max,
        title=title,
        description=description,
        chart_id=chart_id,
    )
    return mark_safe(svg + legend([i.label for i in trend.items]))  # noqa: S308 — both parts escape their text
