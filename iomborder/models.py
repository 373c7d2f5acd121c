from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: IOM staff (no member state) or a government counterpart (their member state)."""

    member_state = models.ForeignKey(
        "frameworks.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counterparts",
        verbose_name=_("member state"),
        help_text=_("Only for government counterparts: the state whose reviews they may be invited to."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One e-mail a day with the news of the reviews, instead of one e-mail for each."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
