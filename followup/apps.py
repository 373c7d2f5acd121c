from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from followup.report import KIND
        from followup.views import followup_panel
        from reports.kinds import register as register_report
        from reviews.panels import register

        register(followup_panel)
        register_report(KIND)
