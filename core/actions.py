"""What each action of the log is called, in people's words (the log itself keeps the stable dotted names)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "review.created": _("Review opened"),
    "core.notifications.sent": _("People told in their inbox"),
    "core.notifications.read": _("Notifications marked read"),
    "review.changed": _("Review edited"),
    "review.moved": _("Workflow moved"),
    "review.team.changed": _("Team and counterparts changed"),
    "review.assessment.changed": _("Assessment changed"),
    "review.assessment.scope_changed": _("Criterion put in or taken out of the scope"),
    "review.scope.changed": _("Criteria added to the scope"),
    "review.recommendation.created": _("Recommendation added"),
    "review.recommendation.changed": _("Recommendation changed"),
    "review.recommendation.deleted": _("Recommendation moved to the bin"),
    "review.recommendation.restored": _("Recommendation restored from the bin"),
    "review.recommendation.moved": _("Recommendation moved in its area"),
    "consultation.draft.published": _("Draft published"),
    "consultation.draft.approved": _("Draft approved for release"),
    "consultation.deadline.changed": _("Deadline for comments moved"),
    "consultation.deadline.reminded": _("Counterparts reminded of the deadline for comments"),
    "consultation.invitation.sent": _("Invitation sent"),
    "consultation.invitation.accepted": _("Invitation accepted"),
    "consultation.access.withdrawn": _("Access withdrawn"),
    "consultation.comment.created": _("Comment written"),
    "consultation.comment.answered": _("Comment answered"),
    "consultation.validation.recorded": _("Validation by the state recorded"),
    "reports.report.requested": _("Report asked for"),
    "followup.position.recorded": _("Position of the government recorded"),
    "followup.plan.changed": _("Reporting period of the action plan set"),
    "followup.action.created": _("Action added to the plan"),
    "followup.action.changed": _("Action changed"),
    "followup.action.cancelled": _("Action cancelled"),
    "followup.progress.submitted": _("Progress reported"),
    "followup.progress.accepted": _("Progress report accepted"),
    "followup.progress.returned": _("Progress report sent back with a question"),
    "followup.reminders.sent": _("Focal points reminded of their reports"),
    "reports.report.downloaded": _("Report downloaded"),
    "instruments.instrument.created": _("National instrument added"),
    "instruments.instrument.changed": _("National instrument changed"),
    "frameworks.library.loaded": _("Criteria library loaded"),
    "accounts.profile.changed": _("Preferences changed"),
    "accounts.email.verified": _("E-mail address confirmed"),
    "accounts.password.changed": _("Password changed"),
    "accounts.signed_out_everywhere": _("Signed out everywhere"),
    "accounts.token.created": _("API token created"),
    "accounts.token.revoked": _("API token revoked"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))
