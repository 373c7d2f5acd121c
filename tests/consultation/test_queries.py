"""The consultation's pages and acts cost a number of queries that does not grow with the threads (issue 11)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import services as consultation
from reviews.models import ReviewCycle
from reviews.services import assessment_update, review_transition

pytestmark = pytest.mark.django_db


def threads(world, draft, count):
    for n in range(count):
        consultation.comment_create(
            draft=draft,
            by=world.counterpart,
            body=f"Comment {n}",
            target_type="finding",
            target_key="LP-01",
            quote="written reasons",
        )


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


@pytest.fixture
def draft(world):
    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    assessment = world.review.assessments.get(criterion__code="LP-01")
    assessment_update(assessment=assessment, by=world.adviser, version=1, finding="No right to written reasons.")
    return consultation.draft_publish(review=world.review, by=world.adviser)


def test_publishing_costs_the_same_with_5_or_40_threads_to_mark_outdated(world, draft):
    def write(finding):
        assessment = world.review.assessments.get(criterion__code="LP-01")
        assessment_update(assessment=assessment, by=world.adviser, version=assessment.version, finding=finding)

    counts = []
    for count in (5, 40):
        write(f"No right to written reasons ({count}).")
        threads(world, consultation.draft_publish(review=world.review, by=world.adviser), count)
        write(f"Rewritten ({count}).")  # the quoted words go: every thread becomes outdated at the next one
        counts.append(queries(lambda: consultation.draft_publish(review=world.review, by=world.adviser)))
    assert counts[0] == counts[1], counts


def test_the_draft_page_costs_the_same_with_5_or_40_threads(client, world, draft):
    client.force_login(world.counterpart)
    url = reverse("reviews:draft", args=[world.review.pk, draft.number])
    counts = []
    for count in (5, 35):
        threads(world, draft, count)
        counts.append(queries(lambda: client.get(url)))
    assert counts[0] == counts[1], counts
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    comment_reads = [q["sql"] for q in captured.captured_queries if 'FROM "reviews_comment"' in q["sql"]]
    # The draft's snapshot is read once for the page, never once per comment row.
    assert comment_reads and not any('"snapshot"' in sql for sql in comment_reads)


def test_the_comment_matrix_costs_the_same_with_5_or_40_threads(client, world, draft):
    client.force_login(world.adviser)
    url = reverse("reviews:comment_matrix", args=[world.review.pk, draft.number])
    counts = []
    for count in (5, 35):
        threads(world, draft, count)
        counts.append(queries(lambda: client.get(url)))
    assert counts[0] == counts[1], counts


def test_a_comment_keeps_its_sanitised_html_from_when_it_was_saved(world, draft):
    comment = consultation.comment_create(draft=draft, by=world.counterpart, body="**Bold** <script>x()</script>")
    assert comment.body_html == str(comment.rendered())
    assert "<strong>Bold</strong>" in comment.body_html and "<script" not in comment.body_html
    older = type(comment).objects.filter(pk=comment.pk)
    older.update(body_html="")  # a comment saved before the HTML was kept
    assert "<strong>Bold</strong>" in str(older.get().rendered())


def test_an_item_shows_its_first_threads_and_the_others_are_one_click_away(client, world, draft):
    from consultation.views import THREADS_SHOWN

    threads(world, draft, THREADS_SHOWN + 2)
    client.force_login(world.counterpart)
    page = client.get(reverse("reviews:draft", args=[world.review.pk, draft.number])).content.decode()
    item = page[page.index('id="finding-LP-01"') :].split('class="draft-item')[0]
    assert item.count('class="thread ') == THREADS_SHOWN
    assert "2 more threads on this item" in item

    url = reverse("reviews:draft_threads", args=[world.review.pk, draft.number])
    whole = client.get(url, {"type": "finding", "key": "LP-01"}).content.decode()
    assert whole.count('class="thread ') == THREADS_SHOWN + 2 and "LP-01" in whole
    assert "Your comment" in whole  # the item can be commented on from its own page
    rest = client.get(url, {"type": "finding", "key": "LP-01", "skip": "1"}, HTTP_HX_REQUEST="true")
    assert rest.content.decode().count('class="thread ') == 2  # loaded in place, after those shown
    assert "Comment 4" in rest.content.decode() and "Comment 0" not in rest.content.decode()

    assert client.get(url, {"type": "nonsense", "key": "LP-01"}).status_code == 404
    assert client.get(url, {"type": "finding", "key": "XX-99"}).status_code == 404
    client.force_login(world.counterpart_other_state)
    assert client.get(url, {"type": "finding", "key": "LP-01"}).status_code == 404


def test_the_comments_api_costs_the_same_with_5_or_40_threads(client, world, draft):
    client.force_login(world.adviser)
    url = reverse("api-comments", args=[world.review.pk])
    counts = []
    for count in (5, 35):
        threads(world, draft, count)
        counts.append(queries(lambda: client.get(url)))
    assert counts[0] == counts[1], counts
