from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Consultation")

    def ready(self) -> None:
        from consultation.selectors import criteria_changed_since_last_draft, criteria_with_open_threads
        from consultation.views import consultation_panel
        from reviews.panels import register, register_mark

        register(consultation_panel)
        register_mark("threads", criteria_with_open_threads)
        register_mark("changed", criteria_changed_since_last_draft)
