"""After the report: the government's position on each recommendation of the draft it validated."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultation.models import DraftVersion
from reviews.models import MAX_NOTE, MAX_RECOMMENDATION, Recommendation, length_at_most, limited_text


class Position(models.Model):
    """The government's position on one recommendation, as recorded at the validation workshop: on the text of
    the draft it was put to the delegation in, kept beside the wording agreed when it was amended."""

    class Stance(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        AMENDED = "amended", _("Accepted with amended wording")
        NOTED = "noted", _("Noted")
        REJECTED = "rejected", _("Rejected")

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="government_position", verbose_name=_("recommendation")
    )
    draft = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("draft"))
    stance = models.CharField(_("position"), max_length=10, choices=Stance.choices)
    original_text = limited_text(_("text of the draft"), MAX_RECOMMENDATION)
    agreed_text = limited_text(_("agreed wording"), MAX_RECOMMENDATION, blank=True)
    reason = limited_text(_("reason"), MAX_NOTE, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["recommendation__review", "recommendation__support_area__order", "recommendation__order"]
        verbose_name = _("position of the government")
        verbose_name_plural = _("positions of the government")
        constraints = [
            # An agreed wording exactly when the recommendation was accepted with amended wording.
            models.CheckConstraint(
                condition=models.Q(stance="amended", agreed_text__regex=r"\S")
                | (~models.Q(stance="amended") & models.Q(agreed_text="")),
                name="position_agreed_text_when_amended",
            ),
            length_at_most("agreed_text", MAX_RECOMMENDATION, "position_agreed_text_length"),
            length_at_most("reason", MAX_NOTE, "position_reason_length"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_stance_display()}"

    @property
    def text(self) -> str:
        """The recommendation as the government took it: the agreed wording, or the draft's."""
        return self.agreed_text or self.original_text
