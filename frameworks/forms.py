from django import forms
from django.utils.translation import gettext_lazy as _

from frameworks.models import NationalInstrument, SupportArea
from frameworks.services import validate_instrument_file


class InstrumentForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = NationalInstrument
        fields = ["title", "instrument_type", "support_area", "date", "status", "reference", "url", "language", "file"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_area"].queryset = SupportArea.objects.all()
        self.fields["file"].widget.attrs["accept"] = ".pdf,.doc,.docx,.odt,.rtf,.txt"
        self.fields["language"].required = False  # English unless said: a form of before still saves

    def clean_language(self):
        return self.cleaned_data.get("language") or NationalInstrument._meta.get_field("language").default

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_instrument_file(upload)
        return upload


class ProvisionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=30, help_text=_("As the instrument numbers it: 12, 12 bis."))
    heading = forms.CharField(label=_("Heading"), max_length=300, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))


class ProvisionChangeForm(ProvisionForm):
    amendment = forms.BooleanField(
        label=_("This is an amendment"),
        required=False,
        help_text=_("The text as amended becomes the article's new version; the old text stays where it is cited."),
    )
    amended_on = forms.DateField(label=_("Amended on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
