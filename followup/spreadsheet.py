"""The action plan as a spreadsheet for the government to fill offline: one row per action, the progress of the
current reporting period to write in; uploaded back, it is read row by row, shown before it is applied, and
applied all or nothing. A row that cannot be applied as it is (an unknown action, one cancelled or already
accepted for the period, a date typed as text, a formula, a bad yes or no) is refused with its row and column,
and then nothing changes."""

import datetime
import io
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.protection import SheetProtection

from core.spreadsheets import append_text_row, column_widths, header_style, xlsx_bytes
from followup.models import Action, ProgressReport
from followup.selectors import actions_of, period_label, period_start, plan_of
from followup.services import progress_submit
from reviews.models import MAX_NOTE, ReviewCycle

# The columns, in order: (key, width). The first five describe the action; the last four are the report.
COLUMNS = [
    ("id", 8),
    ("action", 40),
    ("recommendations", 14),
    ("due_date", 12),
    ("indicator", 30),
    ("period", 12),
    ("progress", 50),
    ("indicator_value", 20),
    ("completed", 12),
]
FIRST_DATA_ROW = 2
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


def _headers() -> list[str]:
    return [
        _("Action no."),
        _("Action"),
        _("Recommendations"),
        _("Due date"),
        _("Indicator"),
        _("Reporting period (a date in it)"),
        _("Progress made"),
        _("Value of the indicator"),
        _("Completed (yes or no)"),
    ]


def yes_no() -> dict[str, bool]:
    """What the completed column accepts, in the three languages (and the spreadsheet's own true and false)."""
    return dict.fromkeys(("yes", "oui", "sí", "si", "true", "1"), True) | dict.fromkeys(
        ("no", "non", "false", "0", ""), False
    )


def plan_xlsx(review: ReviewCycle) -> bytes:
    """The review's action plan, one row per action not cancelled, to report the current period's progress."""
    today = timezone.localdate()
    schedule = plan_of(review).reporting_period
    current = period_start(today, schedule)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Plan")[:31]
    sheet.append(_headers())
    header_style(sheet)
    for action in actions_of(review, today):
        if action.status == Action.Status.CANCELLED:
            continue
        append_text_row(
            sheet,
            [
                action.pk,
                action.title,
                ", ".join(action.numbers),
                action.due_date,
                action.indicator,
                current,
                "",
                "",
                "",
            ],
        )
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW):
        row[3].number_format = row[5].number_format = "yyyy-mm-dd"
    column_widths(sheet, [width for _key, width in COLUMNS])
    sheet.freeze_panes = "B2"
    notes = book.create_sheet(_("How to fill it")[:31])
    for line in (
        _(
            "Write, for each action, the progress made in the reporting period, the value of its indicator and "
            "whether it is completed (yes or no). Leave a row's progress empty to report nothing for it."
        ),
        _("The period is a date: any day of the period reported on (%(period)s by default).")
        % {"period": period_label(current, schedule)},
        _("Do not change the action numbers, and type no formula: such a file is refused as a whole."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    notes.protection = SheetProtection(sheet=True)
    return xlsx_bytes(book)


@dataclass
class Row:
    """A row of an uploaded plan that reports progress."""

    number: int
    action_id: int
    action: str
    period: str  # ISO date of the period's first day
    period_label: str
    progress: str
    indicator_value: str
    completed: bool


@dataclass
class Reading:
    rows: list[Row]
    errors: list[str]  # each names its row and column


def read_upload(review: ReviewCycle, upload) -> Reading:
    """Read an uploaded plan: the rows that report progress, or the reasons it cannot be applied."""
    if upload.size > MAX_BYTES:
        return Reading([], [_("The file is larger than 5 MB: it is not a plan downloaded from here.")])
    try:
        book = load_workbook(io.BytesIO(upload.read()), data_only=False, read_only=True)
    except Exception:  # whatever openpyxl raises on a file that is not a workbook
        return Reading([], [_("This file is not an .xlsx spreadsheet.")])
    sheet = book.worksheets[0]
    actions = {a.pk: a for a in review.actions.all()}
    schedule = plan_of(review).reporting_period
    accepted = set(
        ProgressReport.objects.filter(action__review=review, state=ProgressReport.State.ACCEPTED).values_list(
            "action", "period_start"
        )
    )
    answers = yes_no()
    headers = [key for key, _width in COLUMNS]
    rows, errors, seen = [], [], set()
    today = timezone.localdate()

    def error(number, column, message):
        errors.append(
            _("Row %(row)d, column %(column)s: %(message)s")
            % {"row": number, "column": get_column_letter(headers.index(column) + 1), "message": message}
        )

    for number, cells in enumerate(sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=False), start=FIRST_DATA_ROW):
        if number > MAX_ROWS:
            errors.append(_("The file has more than %(count)d rows.") % {"count": MAX_ROWS})
            break
        values = {key: (cells[index].value if index < len(cells) else None) for index, key in enumerate(headers)}
        kinds = {key: (cells[index].data_type if index < len(cells) else "n") for index, key in enumerate(headers)}
        if all(value in (None, "") for value in values.values()):
            continue
        for key in headers:
            if kinds[key] == "f" or (isinstance(values[key], str) and values[key].startswith("=")):
                error(number, key, _("a formula: type the value itself."))
        progress = str(values["progress"] or "").strip()
        if not progress:
            continue  # nothing reported for this action
        number_given = isinstance(values["id"], int) and not isinstance(values["id"], bool)  # TRUE is not 1
        action = actions.get(values["id"]) if number_given else None
        if action is None:
            error(number, "id", _("“%(value)s” is not an action of this plan.") % {"value": values["id"]})
            continue
        period = values["period"]
        if isinstance(period, datetime.datetime):
            period = period.date()
        if not isinstance(period, datetime.date):
            error(number, "period", _("“%(value)s” is text, not a date.") % {"value": period})
            continue
        start = period_start(period, schedule)
        if action.cancelled_at:
            error(number, "id", _("the action is cancelled."))
        elif (action.pk, start) in accepted:
            error(number, "period", _("the report for this period was accepted already."))
        elif start > today:
            error(number, "period", _("this reporting period has not begun yet."))
        elif start < period_start(action.start_date, schedule):
            error(number, "period", _("the action had not started in this period."))
        if (action.pk, start) in seen:
            error(number, "period", _("the same action and period are on another row too."))
        seen.add((action.pk, start))
        if len(progress) > MAX_NOTE:
            error(number, "progress", _("more than %(count)d characters.") % {"count": MAX_NOTE})
        completed = values["completed"]
        if isinstance(completed, bool):
            done = completed
        elif str(completed or "").strip().lower() in answers:
            done = answers[str(completed or "").strip().lower()]
        else:
            error(number, "completed", _("“%(value)s” is neither yes nor no.") % {"value": completed})
            continue
        value = values["indicator_value"]
        rows.append(
            Row(
                number=number,
                action_id=action.pk,
                action=action.title,
                period=start.isoformat(),
                period_label=period_label(start, schedule),
                progress=progress,
                indicator_value="" if value is None else str(value).strip()[:200],
                completed=done,
            )
        )
    if not rows and not errors:
        errors.append(_("No row reports progress: write it in the “Progress made” column."))
    return Reading(rows, errors)


def to_session(reading: Reading) -> list[dict]:
    return [asdict(row) for row in reading.rows]


@transaction.atomic
def apply_rows(review: ReviewCycle, by, rows: list[dict]) -> int:
    """Submit every row's report, all or nothing (a row refused by the service undoes the others)."""
    actions = {a.pk: a for a in review.actions.select_related("review")}
    for row in rows:
        progress_submit(
            action=actions[row["action_id"]],
            by=by,
            period=datetime.date.fromisoformat(row["period"]),
            progress=row["progress"],
            indicator_value=row["indicator_value"],
            completed=row["completed"],
        )
    return len(rows)
