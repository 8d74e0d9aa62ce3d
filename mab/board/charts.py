"""Server-rendered SVG charts of the balance; each comes with a data table on the page."""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from mab.board.rules import SUPPRESS_BELOW, Policy, Table
from mab.i18n import percent

COLOURS = {"woman": "#6a3d9a", "man": "#1f78b4", "another": "#b15928", "undisclosed": "#6b6b6b",
           "hidden": "#bdbdbd"}
# Drawn for a phone's width: on a 360 px screen the 12-unit labels stay 12 px or more; wide
# screens cap the chart's width (.chart in mab.css) so they stay near their drawn size.
WIDTH = 320


def _labels():
    return {"woman": _("Women"), "man": _("Men"), "another": _("Another identity"),
            "undisclosed": _("Not disclosed"), "hidden": _("Fewer than 3 each, not shown")}


def gender_chart(table: Table, policy: Policy, *, full: bool) -> dict:
    """One bar split by gender, with the policy band marked."""
    labels = _labels()
    total = table.total
    segments = []
    hidden = 0
    for key in table.genders:
        n = table.totals[key]
        if not n:
            continue
        if not full and n < SUPPRESS_BELOW:
            hidden += n
            continue
        segments.append((key, n))
    if hidden:
        segments.append(("hidden", hidden))
    line_h = 18
    bar_y, bar_h, left, span = 28, 32, 10, WIDTH - 20
    height = bar_y + bar_h + 14 + line_h * max(len(segments), 1)
    parts = []
    x = left
    for key, n in segments:
        w = span * n / total if total else 0
        parts.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" '
                     f'fill="{COLOURS[key]}"><title>{escape(labels[key])}</title></rect>')
        x += w
    for pct in (policy.gender_min_pct, policy.gender_max_pct):
        px = left + span * pct / 100
        parts.append(f'<line x1="{px:.1f}" y1="{bar_y - 8}" x2="{px:.1f}" y2="{bar_y + bar_h + 8}" '
                     f'stroke="#000" stroke-width="2" stroke-dasharray="4 3"/>'
                     f'<text x="{px:.1f}" y="{bar_y - 12}" text-anchor="middle" font-size="12" '
                     f'fill="#000">{percent(pct)}</text>')
    for i, (key, n) in enumerate(segments):   # one legend line each: no line runs off the chart
        label = f"{labels[key]}: {n}" if key != "hidden" else labels[key]
        y = bar_y + bar_h + 12 + i * line_h
        parts.append(f'<rect x="{left}" y="{y}" width="12" height="12" '
                     f'fill="{COLOURS[key]}"/><text x="{left + 18}" y="{y + 11}" '
                     f'font-size="13" fill="#1b1b1b">{escape(label)}</text>')
    description = "; ".join(
        f"{labels[k]}: {n}" if k != "hidden" else labels[k] for k, n in segments) or _("empty")
    return _svg("gender-chart", _("Seats by gender"), description, WIDTH, height, parts)


def group_chart(table: Table, policy: Policy) -> dict:
    """Seats per stakeholder group, with the maximum share marked."""
    rows = [(name or _("No group"), total) for name, _cells, total in table.rows]
    # Each group's name above its bar, so that the names keep the chart's whole width.
    row_h, label_w, top = 38, 10, 22
    height = top + 4 + row_h * max(len(rows), 1)
    span = WIDTH - label_w - 40
    biggest = max([t for _n, t in rows] + [1])
    limit = table.total * policy.group_max_pct / 100
    scale_max = max(biggest, limit, 1)
    parts = []
    for i, (name, total) in enumerate(rows):
        y = top + i * row_h
        w = span * total / scale_max
        over = total > limit and table.total
        short = name if len(name) <= 40 else name[:39] + "…"
        parts.append(f'<text x="{label_w}" y="{y + 12}" font-size="13" '
                     f'fill="#1b1b1b">{escape(short)}</text>'
                     f'<rect x="{label_w}" y="{y + 17}" width="{w:.1f}" height="14" '
                     f'fill="{"#b00020" if over else "#0b5394"}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 29}" font-size="13" '
                     f'fill="#1b1b1b">{total}</text>')
    lx = label_w + span * limit / scale_max
    parts.append(f'<line x1="{lx:.1f}" y1="16" x2="{lx:.1f}" y2="{height - 4}" stroke="#000" '
                 f'stroke-width="2" stroke-dasharray="4 3"/>'
                 f'<text x="{lx:.1f}" y="12" text-anchor="middle" font-size="12" fill="#000">'
                 f'{percent(policy.group_max_pct)}</text>')
    description = "; ".join(f"{name}: {total}" for name, total in rows)
    return _svg("group-chart", _("Seats by stakeholder group"), description, WIDTH, height, parts)


def _svg(ident, title, description, width, height, parts) -> dict:
    svg = Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="chart" id="{ident}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>{"".join(parts)}</svg>')
    return {"id": ident, "title": title, "svg": svg}


def balance_charts(table: Table, policy: Policy, *, full: bool) -> list[dict]:
    return [gender_chart(table, policy, full=full), group_chart(table, policy)]
