"""The home page: what waits for each person, linked to the place, at a cost that does not grow (issue 12)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation import services as consultation
from reports.models import ReportJob
from reviews.models import ReviewCycle
from reviews.services import assessment_update, review_transition
from tests import factories

pytestmark = pytest.mark.django_db
State = ReviewCycle.State


@pytest.fixture
def consulting(world):
    """Demoland's review in consultation: draft 1 with a counterpart's open thread on LP-01."""
    review = world.review
    review_transition(review=review, to_state=State.ASSESSMENT, by=world.adviser)
    assessment = review.assessments.get(criterion__code="LP-01")
    assessment_update(assessment=assessment, by=world.adviser, version=1, rating=2, finding="No written reasons.")
    draft = consultation.draft_publish(review=review, by=world.adviser)
    thread = consultation.comment_create(
        draft=draft, by=world.counterpart, body="Cite the decree.", target_type="finding", target_key="LP-01"
    )
    return review, draft, thread


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_adviser_sees_criteria_to_assess_threads_to_answer_and_reports_ready(client, world, consulting):
    review, draft, thread = consulting
    ReportJob.objects.create(
        review=review,
        draft=draft,
        language="en",
        requested_by=world.adviser,
        content_hash="h",
        state="ready",
        file="reports/ready.pdf",
        finished_at=timezone.now(),
    )
    page = home(client, world.adviser)
    assert reverse("reviews:workspace", args=[review.pk]) in page
    todo = review.assessments.filter(rating__isnull=True, not_applicable=False).count()
    assert f"{todo} criteria to assess" in page
    assert f"{reverse('reviews:draft', args=[review.pk, 1])}#thread-{thread.pk}" in page
    assert "counterpart on LP-01, draft 1" in page
    assert reverse("reviews:report_download", args=[ReportJob.objects.get().pk]) in page

    consultation.thread_answer(thread=thread, by=world.adviser, status="addressed", answer="Cited.")
    assert "No thread waits for an answer." in home(client, world.adviser)


def test_a_counterpart_sees_the_drafts_open_for_comment_and_the_answers_to_their_threads(client, world, consulting):
    review, _draft, thread = consulting
    page = home(client, world.counterpart)
    assert reverse("reviews:draft", args=[review.pk, 1]) in page and "Draft 1 of Demoland review" in page
    assert "None of your comments is answered yet." in page
    assert "Criteria still to assess" not in page  # nothing of the team's work

    consultation.thread_answer(thread=thread, by=world.adviser, status="addressed", answer="Cited in draft 2.")
    assert "On LP-01: Addressed" in home(client, world.counterpart)
    other = home(client, world.counterpart_other_state)  # another state's counterpart: nothing of Demoland
    assert "Demoland" not in other and f"#thread-{thread.pk}" not in other


def test_a_manager_sees_the_reviews_to_approve_the_overdue_ones_and_the_portfolio(client, world, consulting):
    review, _draft, _thread = consulting
    review_transition(review=review, to_state=State.VALIDATION, by=world.adviser)
    ReviewCycle.objects.filter(pk=world.other_review.pk).update(due_date=datetime.date(2020, 1, 1))
    page = home(client, world.manager)
    part = page[page.index('id="home-approval"') :].split("</section>")[0]
    assert reverse("reviews:detail", args=[review.pk]) in part
    assert "overdue since" in page and "Examplia review" in page
    figures = page[page.index('class="home-figures"') :].split("</ul>")[0]
    assert "<strong>1</strong> Validation" in figures and "<strong>1</strong> overdue" in figures


def test_signed_out_the_home_page_asks_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response.url


def statements(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["adviser", "counterpart", "manager"])
def test_the_home_page_costs_the_same_for_more_reviews_and_threads(client, world, consulting, who):
    user = getattr(world, who)
    counts = []
    for more in (1, 6):
        for n in range(more):
            extra = factories.make_review(world.adviser, world.demoland, f"More {more}-{n}")
            factories.grant_role(review=extra, user=world.counterpart, role=factories.Role.COUNTERPART)
            review_transition(review=extra, to_state=State.ASSESSMENT, by=world.adviser)
            extra_draft = consultation.draft_publish(review=extra, by=world.adviser)
            for k in range(more * 3):
                consultation.comment_create(draft=extra_draft, by=world.counterpart, body=f"Comment {k}")
        counts.append(statements(client, user))
    assert counts[0] == counts[1], counts
