from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IomborderConfig(AppConfig):
    name = "iomborder"
    verbose_name = _("Accounts and site")

    def ready(self) -> None:
        from iomborder import signals  # noqa: F401 - connects the sign-in and account receivers
