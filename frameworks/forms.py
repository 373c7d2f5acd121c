from django import forms
from django.utils.translation import gettext_lazy as _

from frameworks.models import NationalInstrument, SupportArea
from frameworks.services import validate_instrument_file


class InstrumentForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = NationalInstrument
        fields = ["title", "instrument_type", "support_area", "date", "status", "reference", "url", "file"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_area"].queryset = SupportArea.objects.all()
        self.fields["file"].widget.attrs["accept"] = ".pdf,.doc,.docx,.odt,.rtf,.txt"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_instrument_file(upload)
        return upload
