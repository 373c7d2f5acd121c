"""The follow-up's reminders, sent by a Celery beat task: each focal point is told, at most once a week per
action, of the reports missing for the last reporting period and of the actions past their due date."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.inbox import notify
from core.mailing import send_in_their_languages, site_link
from followup.models import Action, ActionPlan, ProgressReport
from followup.selectors import period_label, period_start, with_status
from followup.services import actions_reminded
from reviews.permissions import Role, members_of

REMIND_EVERY_DAYS = 7


def _missing_period(action: Action, schedule: str, reported: set, today: datetime.date) -> datetime.date | None:
    """The last reporting period that has ended, when the action ran in it and it has no report (or only one
    sent back with a question)."""
    last = period_start(period_start(today, schedule) - datetime.timedelta(days=1), schedule)
    if last < period_start(action.start_date, schedule) or last > action.due_date:
        return None
    return None if (action.pk, last) in reported else last


def waiting(today: datetime.date) -> list[tuple[Action, datetime.date | None]]:
    """The actions whose focal points are to be reminded today, each with its missing period (or None when it
    is only overdue). A fixed number of queries."""
    actions = list(
        with_status(Action.objects.filter(cancelled_at__isnull=True), today)
        .exclude(status__in=(Action.Status.COMPLETED, Action.Status.CANCELLED))
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - datetime.timedelta(days=REMIND_EVERY_DAYS)))
        .select_related("review", "focal_point")
    )
    schedules = dict(
        ActionPlan.objects.filter(review__in={a.review_id for a in actions}).values_list("review", "reporting_period")
    )
    reported = set(
        ProgressReport.objects.filter(action__in=actions)
        .exclude(state=ProgressReport.State.RETURNED)
        .values_list("action", "period_start")
    )
    found = []
    for action in actions:
        schedule = schedules.get(action.review_id, ActionPlan.Period.QUARTER)
        missing = _missing_period(action, schedule, reported, today)
        if missing is not None or action.status == Action.Status.DELAYED:
            action.schedule = schedule
            found.append((action, missing))
    return found


def progress_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    found = waiting(today)
    by_person = {}
    for action, missing in found:
        people = [action.focal_point] if action.focal_point else members_of(action.review, Role.FOCAL_POINT)
        for person in people:
            by_person.setdefault(person, []).append((action, missing))
    sent = 0
    for person, items in by_person.items():
        review = items[0][0].review
        url = reverse("reviews:followup", args=[review.pk])
        notify([person], kind="progress_due", url=url, review_id=review.pk, count=len(items), title=review.title)

        def compose(items=items):
            lines = []
            for action, missing in items:
                if missing is not None:
                    lines.append(
                        _("%(action)s: the report for %(period)s is missing")
                        % {"action": action.title, "period": period_label(missing, action.schedule)}
                    )
                if action.status == Action.Status.DELAYED:
                    lines.append(
                        _("%(action)s: due on %(date)s and not completed")
                        % {"action": action.title, "date": date_format(action.due_date, "DATE_FORMAT")}
                    )
                lines.append("  " + site_link(reverse("reviews:action_progress", args=[action.review_id, action.pk])))
            subject = _("The action plan is waiting for your reports")
            return subject, "\n".join(lines) + "\n"

        sent += send_in_their_languages([person], compose, language=review.report_language, digest_aware=False)
    actions_reminded([action for action, _missing in found], today)
    return sent
