from django.db.models import QuerySet

from frameworks.models import AssessmentFramework, MemberState, NationalInstrument

DEFAULT_LIBRARY = "iom-ibm-policy-review"


def current_framework(code: str = DEFAULT_LIBRARY) -> AssessmentFramework | None:
    """The latest loaded version of a criteria library: what a new review is proposed to use."""
    return AssessmentFramework.objects.filter(code=code).order_by("-version").first()


def instruments_of(state: MemberState) -> QuerySet[NationalInstrument]:
    return state.instruments.select_related("support_area").order_by("support_area__order", "-date", "title")
