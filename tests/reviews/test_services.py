import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frameworks.models import Criterion
from reviews.models import ReviewCycle
from reviews.selectors import history_for
from reviews.services import StaleEdit, assessment_update, review_create, review_set_scope, review_transition
from tests import factories

pytestmark = pytest.mark.django_db
State = ReviewCycle.State


def test_a_review_proposes_the_criteria_of_its_thematic_areas(world):
    codes = set(world.review.assessments.values_list("criterion__thematic_area__code", flat=True))
    assert codes == {"border_management"}
    assert (
        world.review.assessments.count()
        == Criterion.objects.filter(framework=world.review.framework, thematic_area__code="border_management").count()
    )


def test_only_advisers_open_reviews(world):
    with pytest.raises(PermissionDenied):
        review_create(
            by=world.counterpart,
            member_state=world.demoland,
            title="Mine",
            framework=factories.framework(),
            thematic_areas=[],
        )


def test_a_transition_is_recorded_with_who_and_from_where(world):
    record = review_transition(review=world.review, to_state=State.ASSESSMENT, by=world.adviser)
    world.review.refresh_from_db()
    assert world.review.state == State.ASSESSMENT
    assert (record.from_state, record.to_state, record.by) == (State.SCOPING, State.ASSESSMENT, world.adviser)


def test_a_transition_the_workflow_does_not_have_is_refused(world):
    with pytest.raises(ValidationError, match="cannot move to"):
        review_transition(review=world.review, to_state=State.FINAL, by=world.adviser)


def test_a_transition_needs_its_permission(world):
    with pytest.raises(PermissionDenied):
        review_transition(review=world.review, to_state=State.ASSESSMENT, by=world.counterpart)
    review_transition(review=world.review, to_state=State.ASSESSMENT, by=world.adviser)
    review_transition(review=world.review, to_state=State.CONSULTATION, by=world.adviser)
    review_transition(review=world.review, to_state=State.VALIDATION, by=world.adviser)
    with pytest.raises(PermissionDenied):
        review_transition(review=world.review, to_state=State.FINAL, by=world.adviser)
    review_transition(review=world.review, to_state=State.FINAL, by=world.manager)
    assert world.review.transitions.count() == 4


def test_a_stale_save_is_refused_and_keeps_the_other_persons_text(world):
    assessment = world.review.assessments.first()
    assessment_update(assessment=assessment, by=world.adviser, version=1, finding="First adviser's finding")
    with pytest.raises(StaleEdit) as refused:
        assessment_update(assessment=assessment, by=world.adviser, version=1, finding="Second adviser's finding")
    assert refused.value.current.finding == "First adviser's finding"
    assessment.refresh_from_db()
    assert (assessment.finding, assessment.version) == ("First adviser's finding", 2)


def test_only_instruments_of_the_reviewed_state_can_be_cited(world):
    assessment = world.review.assessments.first()
    foreign = factories.make_instrument(world.examplia, "Examplia Act")
    with pytest.raises(ValidationError, match="Only instruments of the reviewed state"):
        assessment_update(assessment=assessment, by=world.adviser, version=1, evidence=[foreign])


def test_a_criterion_taken_out_of_the_scope_keeps_its_work_and_brings_it_back(world):
    assessment = world.review.assessments.select_related("criterion").first()
    instrument = factories.make_instrument(world.demoland)
    assessment_update(
        assessment=assessment, by=world.adviser, version=1, rating=2, finding="Kept.", evidence=[instrument]
    )
    criteria = [a.criterion for a in world.review.assessments.select_related("criterion")]
    review_set_scope(review=world.review, criteria=criteria[1:], by=world.adviser)
    assert assessment.criterion not in [a.criterion for a in world.review.assessments.all()]
    review_set_scope(review=world.review, criteria=criteria, by=world.adviser)
    back = world.review.assessments.get(criterion=assessment.criterion)
    assert (back.pk, back.rating, back.finding, list(back.evidence.all())) == (assessment.pk, 2, "Kept.", [instrument])
    moves = history_for(world.review, assessment_id=assessment.pk).filter(action="review.assessment.scope_changed")
    assert [m.data["changes"]["in_scope"] for m in moves.order_by("pk")] == [["yes", "no"], ["no", "yes"]]


def test_an_autosave_that_crossed_a_scope_save_is_kept_with_the_criterion(client, world):
    """The scope save won the race: the autosave that follows it is saved into the hidden assessment, and
    comes back with the criterion (it answered 500 once, then 404 with the text lost)."""
    from django.urls import reverse

    assessment = world.review.assessments.select_related("criterion").first()
    criteria = [a.criterion for a in world.review.assessments.select_related("criterion")]
    review_set_scope(review=world.review, criteria=criteria[1:], by=world.adviser)
    client.force_login(world.adviser)
    response = client.post(
        reverse("reviews:assessment", args=[world.review.pk, assessment.pk]),
        {"version": 1, "finding": "Typed while the scope changed.", "rating": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    # Its area's progress is left as it is: the criterion no longer counts there (no empty "of assessed").
    assert "progress-area-" not in response.content.decode() and "progress-overall" in response.content.decode()
    review_set_scope(review=world.review, criteria=criteria, by=world.adviser)
    assert world.review.assessments.get(pk=assessment.pk).finding == "Typed while the scope changed."
