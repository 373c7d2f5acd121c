from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.models import ReportJob


class ReportRequestForm(forms.Form):
    draft = forms.IntegerField(label=_("Draft"), required=False, min_value=1)
    edition = forms.ChoiceField(label=_("Edition"), choices=ReportJob.Edition.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=ReportJob.Format.choices, required=False, initial=ReportJob.Format.PDF
    )
