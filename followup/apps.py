from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from followup.report import COMPARISON, KIND
        from followup.views import followup_panel
        from reports.kinds import register as register_report
        from reports.kinds import register_section
        from reviews.panels import register

        register(followup_panel)
        register_report(KIND)
        register_section(COMPARISON)
