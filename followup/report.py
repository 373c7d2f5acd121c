"""The follow-up report: the government's positions, the action plan, the progress per reporting period and
what is overdue, as a PDF made by the reports pipeline (registered in followup.apps as the kind "followup")."""

import datetime
import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup.models import Action, Position, ProgressReport
from followup.selectors import actions_of, comparison, period_label, plan_of, put_to_government, validated_draft
from reports.kinds import ReportKind, ReportSection
from reviews.models import Rating, ReviewCycle
from reviews.permissions import Perm
from reviews.reading import mean_rating
from reviews.snapshots import PUBLIC, pick

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "followup" / "report.html"


def report_content(review: ReviewCycle) -> dict:
    """What the report shows, fixed when it is asked for, in no language yet (codes and dates): the positions
    on the draft put to the government, each action with its reports, and the day it was made."""
    today = timezone.localdate()
    draft = validated_draft(review)
    positions = put_to_government(review, draft, "en") if draft else []
    actions = actions_of(review, today)
    reports = {}
    for report in ProgressReport.objects.filter(action__review=review).order_by("period_start"):
        reports.setdefault(report.action_id, []).append(
            {
                "period": report.period_start.isoformat(),
                "state": report.state,
                "progress": report.progress,
                "indicator_value": report.indicator_value,
                "completed": report.completed,
                "submitted_on": timezone.localdate(report.submitted_at).isoformat(),
            }
        )
    return {
        "template": hashlib.sha256(TEMPLATE.read_bytes()).hexdigest()[:16],
        "as_of": today.isoformat(),
        "review": {
            "title": review.title,
            "state": {lang: review.member_state.translated("name", lang) for lang in ("en", "fr", "es")},
        },
        "schedule": plan_of(review).reporting_period,
        "draft_number": draft.number if draft else None,
        "positions": [
            {
                "number": item.number,
                "text": item.text,
                "stance": item.position.stance if item.position else None,
                "agreed_text": item.position.agreed_text if item.position else "",
                "reason": item.position.reason if item.position else "",
            }
            for item in positions
        ],
        "actions": [
            {
                "title": action.title,
                "numbers": action.numbers,
                "institution": action.responsible_institution,
                "start": action.start_date.isoformat(),
                "due": action.due_date.isoformat(),
                "indicator": action.indicator,
                "baseline": action.baseline,
                "target": action.target,
                "status": action.status,
                "latest_value": action.latest_value or "",
                "reports": reports.get(action.pk, []),
            }
            for action in actions
        ],
    }


def render_html(content: dict, *, language: str, edition: str) -> str:
    """The follow-up report's HTML in `language` (the edition changes nothing: the plan holds nothing restricted)."""
    with translation.override(language):
        stances, statuses = dict(Position.Stance.choices), dict(Action.Status.choices)
        states = dict(ProgressReport.State.choices)
        schedule = content["schedule"]
        actions = []
        for action in content["actions"]:
            actions.append(
                {
                    **action,
                    "status_label": statuses[action["status"]],
                    "start": datetime.date.fromisoformat(action["start"]),
                    "due": datetime.date.fromisoformat(action["due"]),
                    "reports": [
                        {
                            **report,
                            "period_label": period_label(datetime.date.fromisoformat(report["period"]), schedule),
                            "state_label": states[report["state"]],
                            "submitted_on": datetime.date.fromisoformat(report["submitted_on"]),
                        }
                        for report in action["reports"]
                    ],
                }
            )
        live = [a for a in actions if a["status"] != Action.Status.CANCELLED]
        completed = sum(a["status"] == Action.Status.COMPLETED for a in live)
        return render_to_string(
            "followup/report.html",
            {
                "language": language,
                "title": content["review"]["title"],
                "state_name": pick(content["review"]["state"], language),
                "as_of": datetime.date.fromisoformat(content["as_of"]),
                "draft_number": content["draft_number"],
                "positions": [{**p, "stance_label": stances.get(p["stance"], "")} for p in content["positions"]],
                "actions": actions,
                "overdue": [a for a in actions if a["status"] == Action.Status.DELAYED],
                "completed": completed,
                "total": len(live),
                "percent": round(100 * completed / len(live)) if live else None,
            },
        )


KIND = ReportKind(
    name="followup",
    label=gettext_lazy("Follow-up report"),
    content=report_content,
    render_html=render_html,
    readable_with=Perm.VIEW_DRAFTS,  # the government's own plan: its counterparts have it too
)


# The chapter a follow-up review's own report gets: what changed since the previous cycle --------------------


def comparison_content(review: ReviewCycle) -> dict | None:
    """For a follow-up review, fixed when its report is asked for: the previous cycle's rating of each
    criterion's predecessor (by this review's criterion code) and what became of its recommendations."""
    compared = comparison(review)
    if compared is None:
        return None
    previous = compared.previous

    def texts(recommendations):
        return [{"text": r.text, "is_restricted": r.is_restricted} for r in recommendations]

    template = Path(settings.BASE_DIR) / "templates" / "followup" / "_report_comparison.html"
    return {
        "template": hashlib.sha256(template.read_bytes()).hexdigest()[:16],  # a new template: a new file
        "previous": {"title": previous.title, "year": previous.start_date.year if previous.start_date else None},
        "before": {row.code: row.before for row in compared.criteria if row.before is not None},
        "addressed": texts(compared.addressed),
        "carried_over": texts(compared.carried_over),
        "dropped": texts(compared.dropped),
    }


def _number(key: str | None) -> int | None:
    return int(key) if key and key.isdigit() else None


def comparison_context(content: dict, *, snapshot: dict, language: str, edition: str) -> dict:
    """The chapter in `language`: each criterion's rating then and as the report has it now, each support
    area's mean, and the previous recommendations (the public edition leaves out restricted ones)."""
    public = edition == PUBLIC
    labels = {"": _("Not yet rated"), "na": _("Not applicable")} | {str(v): label for v, label in Rating.choices}
    areas = {area["code"]: pick(area["name"], language) for area in snapshot["support_areas"]}
    rows, before_by_area, after_by_area = [], {}, {}
    for assessment in snapshot["assessments"]:
        if public and assessment["is_restricted"]:
            continue
        code = assessment["criterion"]
        now = (
            "na" if assessment["not_applicable"] else "" if assessment["rating"] is None else str(assessment["rating"])
        )
        then = content["before"].get(code)
        change = None
        if _number(then) is not None and _number(now) is not None:
            change = _number(now) - _number(then)
            before_by_area.setdefault(assessment["support_area"], []).append(_number(then))
            after_by_area.setdefault(assessment["support_area"], []).append(_number(now))
        rows.append(
            {
                "code": code,
                "title": pick(assessment["title"], language),
                "before": labels.get(then, "—") if then is not None else _("new criterion"),
                "after": labels.get(now, now),
                "change": change,
            }
        )

    def shown(items):
        return [item["text"] for item in items if not (public and item["is_restricted"])]

    return {
        "previous": content["previous"],
        "criteria": rows,
        "areas": [
            {
                "name": name,
                "before": mean_rating(before_by_area.get(code, [])),
                "after": mean_rating(after_by_area.get(code, [])),
            }
            for code, name in areas.items()
            if code in before_by_area
        ],
        "fates": [
            (_("Implemented"), shown(content["addressed"])),
            (_("Carried over into this review"), shown(content["carried_over"])),
            (_("Dropped"), shown(content["dropped"])),
        ],
    }


COMPARISON = ReportSection(
    name="previous-cycle",
    title=gettext_lazy("Since the previous cycle"),
    content=comparison_content,
    context=comparison_context,
    template="followup/_report_comparison.html",
)
