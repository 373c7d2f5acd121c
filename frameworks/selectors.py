from django.db.models import QuerySet

from frameworks.models import AssessmentFramework, MemberState, NationalInstrument, StandardProvision

DEFAULT_LIBRARY = "iom-ibm-policy-review"


def current_framework(code: str = DEFAULT_LIBRARY) -> AssessmentFramework | None:
    """The latest loaded version of a criteria library: what a new review is proposed to use."""
    return AssessmentFramework.objects.filter(code=code).order_by("-version").first()


def instruments_of(state: MemberState) -> QuerySet[NationalInstrument]:
    return state.instruments.select_related("support_area").order_by("support_area__order", "-date", "title")


def standard_provisions_in_scope(review_id: int) -> QuerySet[StandardProvision]:
    """The standard provisions the criteria in a review's scope ask about, in the catalogue's order."""
    return (
        StandardProvision.objects.filter(
            criteria__assessments__review_id=review_id, criteria__assessments__in_scope=True
        )
        .distinct()
        .select_related("reference")
        .order_by("reference__order", "order", "code")
    )
