"""The follow-up report: the government's positions, the action plan, the progress per reporting period and
what is overdue, as a PDF made by the reports pipeline (registered in followup.apps as the kind "followup")."""

import datetime
import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from followup.models import Action, Position, ProgressReport
from followup.selectors import actions_of, period_label, plan_of, put_to_government, validated_draft
from reports.kinds import ReportKind
from reviews.models import ReviewCycle
from reviews.permissions import Perm
from reviews.snapshots import pick

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
