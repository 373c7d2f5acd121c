from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.models import ActionLog
from frameworks.models import (
    AssessmentFramework,
    InternationalReference,
    MemberState,
    Provision,
    SupportArea,
    ThematicArea,
)
from frameworks.selectors import current_framework
from reviews.models import MAX_FINDING, MAX_NOTE, Rating, Recommendation, ReviewCycle
from reviews.services import RECOMMENDATION_FIELDS

NOT_APPLICABLE = "na"
RATING_CHOICES = [
    ("", _("Not yet rated")),
    *[(str(value), label) for value, label in Rating.choices],
    (NOT_APPLICABLE, _("Not applicable")),
]


class WorkspaceFilterForm(forms.Form):
    """The workspace's choice of area and filters, from its query string (reviews.selectors.workspace_for)."""

    area = forms.CharField(required=False, max_length=40)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Every criterion")),
            ("todo", _("Not yet assessed")),
            ("changed", _("Changed since the last draft")),
            ("threads", _("With open threads")),
        ],
    )
    theme = forms.ChoiceField(label=_("Thematic area"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue's seven: cheaper than finding which the review's criteria use, on every workspace page.
        themes = ThematicArea.objects.order_by("order")
        self.fields["theme"].choices = [("", _("Every thematic area")), *((t.code, t.name) for t in themes)]


class ReviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("Workflow state"), required=False, choices=[("", _("All")), *ReviewCycle.State.choices]
    )
    member_state = forms.ModelChoiceField(
        label=_("Member state"), required=False, queryset=MemberState.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        if states is not None:
            self.fields["member_state"].queryset = states


class ReviewForm(forms.ModelForm):
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas in scope"),
        queryset=ThematicArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The criteria of these areas are proposed; you can add or remove criteria next."),
    )

    class Meta:
        model = ReviewCycle
        fields = ["member_state", "title", "framework", "report_language", "start_date", "due_date", "thematic_areas"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_state"].queryset = MemberState.objects.order_by("name_en")
        self.fields["framework"].queryset = AssessmentFramework.objects.all()
        self.fields["framework"].initial = current_framework()
        if self.instance.pk:
            # The state and the library of an open review do not change: its instruments, counterparts and
            # assessments belong to them.
            del self.fields["member_state"], self.fields["framework"]


class ScopeForm(forms.Form):
    criteria = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, review: ReviewCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = review.framework.criteria.all()


class TeamForm(forms.Form):
    advisers = forms.ModelMultipleChoiceField(
        label=_("Advisers on the team"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    counterparts = forms.ModelMultipleChoiceField(
        label=_("Government counterparts"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Counterparts of the reviewed state read the drafts published for consultation."),
    )

    def __init__(self, *args, review: ReviewCycle, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        self.fields["advisers"].queryset = User.objects.filter(
            is_active=True, groups__name="Advisers", member_state=None
        ).order_by("last_name", "username")
        self.fields["counterparts"].queryset = User.objects.filter(
            is_active=True, member_state=review.member_state
        ).order_by("last_name", "username")


class AssessmentForm(forms.Form):
    """One criterion's assessment, as the workspace posts it (the evidence list is rendered by the template)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(choices=RATING_CHOICES, required=False)
    evidence = forms.ModelMultipleChoiceField(queryset=None, required=False)
    provisions = forms.ModelMultipleChoiceField(queryset=None, required=False)
    # Posted with the provisions' checkboxes: a form without them (an older page) leaves the provisions alone.
    provisions_shown = forms.BooleanField(required=False)
    finding = forms.CharField(required=False, max_length=MAX_FINDING)
    internal_note = forms.CharField(required=False, max_length=MAX_NOTE)
    is_restricted = forms.BooleanField(required=False)

    def __init__(self, *args, review: ReviewCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = review.member_state.instruments.all()
        # Those cited stay citable once amended (their old text is what the finding cites).
        self.fields["provisions"].queryset = Provision.objects.filter(instrument__member_state=review.member_state_id)

    def changes(self) -> dict:
        data = self.cleaned_data
        rating = data["rating"]
        return {
            "rating": int(rating) if rating not in ("", NOT_APPLICABLE) else None,
            "not_applicable": rating == NOT_APPLICABLE,
            "finding": data["finding"],
            "internal_note": data["internal_note"],
            "is_restricted": data["is_restricted"],
        }


class RecommendationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Recommendation
        # What an adviser edits is what the service accepts, plus the links.
        fields = [*RECOMMENDATION_FIELDS, "criteria", "references"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.CheckboxSelectMultiple,
            "references": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, review: ReviewCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_area"].queryset = SupportArea.objects.all()
        self.fields["thematic_area"].queryset = ThematicArea.objects.all()
        self.fields["criteria"].queryset = review.framework.criteria.filter(
            pk__in=review.assessments.values("criterion")
        ).order_by("support_area__order", "order")
        self.fields["references"].queryset = InternationalReference.objects.all()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            # A browser cuts a paste at maxlength without a word: the limit is said by the error instead.
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.pop("maxlength", None)

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class HistoryFilterForm(forms.Form):
    assessment = forms.IntegerField(label=_("Criterion"), required=False, min_value=1, widget=forms.HiddenInput)
    recommendation = forms.IntegerField(
        label=_("Recommendation"), required=False, min_value=1, widget=forms.HiddenInput
    )
    by = forms.ModelChoiceField(label=_("By"), queryset=None, required=False, empty_label=_("Everyone"))
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, review: ReviewCycle, **kwargs):
        super().__init__(*args, **kwargs)
        # Those who did something on this review: nobody else's name is offered (or revealed).
        people = ActionLog.objects.filter(review_id=review.pk).values("by")
        self.fields["by"].queryset = get_user_model().objects.filter(pk__in=people).order_by("first_name", "last_name")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The first day comes after the last."))
        return data
