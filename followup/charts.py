"""The follow-up's timeline: each action from its start to its due date, coloured by status, as SVG made on the
server (like the ratings chart: no JavaScript, the same in the page and the PDF)."""

import datetime
from html import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followup.models import Action

COLOURS = {
    Action.Status.NOT_STARTED: "#8a94a6",
    Action.Status.IN_PROGRESS: "#0033a0",
    Action.Status.COMPLETED: "#1e7b34",
    Action.Status.DELAYED: "#b42318",
    Action.Status.CANCELLED: "#c9ced6",
}


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def timeline_svg(actions: list, today: datetime.date) -> str:
    """A Gantt-like chart of the actions (with their `status`), and today's line; "" when there is none."""
    if not actions:
        return ""
    first = min(min(a.start_date for a in actions), today)
    last = max(max(a.due_date for a in actions), today)
    span = max((last - first).days, 1)
    label_width, chart_width, row_height, top = 240, 420, 26, 34
    height = top + row_height * len(actions) + 30
    width = label_width + chart_width + 20

    def x(day: datetime.date) -> float:
        return label_width + chart_width * (day - first).days / span

    title = escape(_("Timeline of the actions"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{title}" class="timeline-chart">'
    ]
    months = _months(first, last)
    step = max(1, len(months) // 8)  # at most about eight labels
    for month in months[::step]:
        parts.append(
            f'<line x1="{x(month):.1f}" y1="{top - 6}" x2="{x(month):.1f}" y2="{height - 24}" stroke="#e3e7ee"/>'
            f'<text x="{x(month):.1f}" y="{top - 12}" font-size="10" fill="#5a6270">'
            f"{escape(date_format(month, 'YEAR_MONTH_FORMAT'))}</text>"
        )
    for index, action in enumerate(actions):
        y = top + index * row_height
        label = action.title if len(action.title) <= 34 else action.title[:33] + "…"
        start, end = x(action.start_date), x(action.due_date)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" font-size="11" text-anchor="end" fill="#1b1f24">'
            f"{escape(label)}</text>"
            f'<rect x="{start:.1f}" y="{y + 6}" width="{max(end - start, 2):.1f}" height="13" rx="2" '
            f'fill="{COLOURS[action.status]}"><title>{escape(action.title)}: '
            f"{escape(str(Action.Status(action.status).label))}</title></rect>"
        )
    today_x = x(today)
    today_label = escape(_("today"))
    parts.append(
        f'<line x1="{today_x:.1f}" y1="{top - 6}" x2="{today_x:.1f}" y2="{height - 24}" stroke="#1b1f24" '
        f'stroke-dasharray="3 3"/><text x="{today_x:.1f}" y="{height - 10}" font-size="10" text-anchor="middle" '
        f'fill="#1b1f24">{today_label}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
