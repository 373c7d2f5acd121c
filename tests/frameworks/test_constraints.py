import pytest
from django.db import IntegrityError

from frameworks.models import AssessmentFramework, Criterion, MemberState, SupportArea

pytestmark = pytest.mark.django_db


def test_member_state_codes_are_unique():
    with pytest.raises(IntegrityError):
        MemberState.objects.create(code="FR", name_en="France bis", name_fr="France bis", name_es="Francia bis")


def test_member_state_codes_are_two_capital_letters():
    with pytest.raises(IntegrityError):
        MemberState.objects.create(code="fr", name_en="x", name_fr="x", name_es="x")


def test_support_area_codes_are_unique():
    with pytest.raises(IntegrityError):
        SupportArea.objects.create(code="processes", order=99, name_en="x", name_fr="x", name_es="x")


def test_a_library_version_is_loaded_once():
    with pytest.raises(IntegrityError):
        AssessmentFramework.objects.create(
            code="iom-ibm-policy-review", version=1, name_en="x", name_fr="x", name_es="x", content_hash="0"
        )


def test_criterion_codes_are_unique_within_a_library():
    existing = Criterion.objects.first()
    with pytest.raises(IntegrityError):
        Criterion.objects.create(
            framework=existing.framework,
            code=existing.code,
            support_area=existing.support_area,
            thematic_area=existing.thematic_area,
            title_en="x",
            title_fr="x",
            title_es="x",
            guidance_en="x",
            guidance_fr="x",
            guidance_es="x",
        )
