import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.instruments import instrument_update
from reviews.selectors import ONE_AREA_AT_A_TIME_FROM, history_for
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def save(client, review, assessment, **data):
    payload = {"version": assessment.version, "rating": "", "finding": "", "internal_note": "", **data}
    return client.post(reverse("reviews:assessment", args=[review.pk, assessment.pk]), payload, **HTMX)


def test_the_workspace_groups_the_criteria_by_support_area_in_order(client, world):
    client.force_login(world.adviser)
    url = reverse("reviews:workspace", args=[world.review.pk])
    page = client.get(url, {"area": "all"}).content.decode()
    positions = [page.index(f'id="area-{code}"') for code in ("strategic_documents", "legal_policy", "processes")]
    assert positions == sorted(positions)
    criterion = world.review.assessments.select_related("criterion").first().criterion
    assert criterion.guidance[:40] in page


def area_sections(page: str) -> list[str]:
    return re.findall(r'<section class="area" id="area-([a-z_]+)"', page)


def test_a_large_review_opens_on_its_first_area_and_shows_one_area_at_a_time(client, world, tmp_path):
    client.force_login(world.adviser)
    small = world.review
    assert small.assessments.count() <= ONE_AREA_AT_A_TIME_FROM
    every_area = set(small.assessments.values_list("criterion__support_area__code", flat=True))
    page = client.get(reverse("reviews:workspace", args=[small.pk])).content.decode()
    assert set(area_sections(page)) == every_area  # a small review: every criterion on one page

    library = factories.make_library(tmp_path, ONE_AREA_AT_A_TIME_FROM + 1, "large")
    large = factories.make_review_on(library, world.adviser, world.demoland)
    url = reverse("reviews:workspace", args=[large.pk])
    assessments = large.assessments.select_related("criterion__support_area").order_by(
        "criterion__support_area__order", "criterion__order"
    )
    first_area = assessments[0].criterion.support_area
    second_area = assessments.exclude(criterion__support_area=first_area)[0].criterion.support_area
    for assessment in assessments.filter(criterion__support_area=first_area):
        save(client, large, assessment, rating="3")
    page = client.get(url).content.decode()
    assert area_sections(page) == [first_area.code]  # a reload shows the same criteria, assessed or not
    assert f'href="?area={second_area.code}"' in page  # every area is one click away, with its progress
    assert area_sections(client.get(url, {"area": second_area.code}).content.decode()) == [second_area.code]
    assert len(area_sections(client.get(url, {"area": "all"}).content.decode())) == 6
    assert client.get(url, {"area": "no-such-area"}).status_code == 404


def codes_in(page: str) -> list[str]:
    return re.findall(r'<span class="code">([A-Z]+-\d+)</span>', page)


def deferred_urls(page: str) -> list[str]:
    return [html.unescape(url) for url in re.findall(r'<div class="deferred-criteria" hx-get="([^"]+)"', page)]


def test_all_the_areas_of_a_large_review_bring_each_areas_criteria_when_the_reader_reaches_it(client, world, tmp_path):
    client.force_login(world.adviser)
    library = factories.make_library(tmp_path, ONE_AREA_AT_A_TIME_FROM + 12, "large")
    large = factories.make_review_on(library, world.adviser, world.demoland)
    every = sorted(large.assessments.values_list("criterion__code", flat=True))
    workspace = reverse("reviews:workspace", args=[large.pk])
    page = client.get(workspace, {"area": "all"}).content.decode()
    urls = deferred_urls(page)
    assert len(area_sections(page)) == 6 and len(urls) == 5  # the first area's criteria come with the page
    shown = codes_in(page)
    assert 0 < len(shown) < len(every)
    for url in urls:
        response = client.get(url, **HTMX)
        assert response.status_code == 200
        text = response.content.decode()
        assert "<html" not in text and 'class="assessment-form"' in text and "csrfmiddlewaretoken" in text
        shown += codes_in(text)
    assert sorted(shown) == every  # every criterion once, in the six areas

    # Without JavaScript the placeholder is a link to the area's own page, and so is its address.
    second = re.search(r"area=([a-z_]+)", urls[0]).group(1)
    assert f'<a href="?area={second}">' in page
    response = client.get(urls[0])
    assert response.status_code == 302 and response.url == f"{workspace}?area={second}"

    # The filters go with each area; an area with nothing left to show says so.
    for assessment in large.assessments.filter(criterion__support_area__code=second):
        save(client, large, assessment, rating="3")
    page = client.get(workspace, {"area": "all", "show": "todo"}).content.decode()
    urls = deferred_urls(page)
    assert all("show=todo" in url for url in urls) and len(urls) == 5
    assert "No criterion of this area matches these filters." in client.get(urls[0], **HTMX).content.decode()
    assert "No criterion of this area matches these filters." not in client.get(urls[1], **HTMX).content.decode()

    # A small review's areas all come with the page, as before.
    assert deferred_urls(client.get(reverse("reviews:workspace", args=[world.review.pk])).content.decode()) == []


def test_the_links_into_a_large_reviews_workspace_open_the_area_that_holds_their_criterion(client, world, tmp_path):
    client.force_login(world.adviser)
    large = factories.make_review_on(
        factories.make_library(tmp_path, ONE_AREA_AT_A_TIME_FROM + 1, "large"), world.adviser, world.demoland
    )
    last = (
        large.assessments.select_related("criterion__support_area").order_by("-criterion__support_area__order").first()
    )
    area = last.criterion.support_area.code
    page = client.get(reverse("reviews:assessment", args=[large.pk, last.pk])).content.decode()
    back = f'href="{reverse("reviews:workspace", args=[large.pk])}?area={area}#criterion-{last.pk}"'
    assert back in page  # the criterion's own page leads back to it, not to the first area
    assert f"<title>{last.criterion.code} · Large review" in page
    assert (
        f'id="criterion-{last.pk}"'
        in client.get(reverse("reviews:workspace", args=[large.pk]), {"area": area}).content.decode()
    )
    overview = client.get(reverse("reviews:detail", args=[large.pk])).content.decode()
    assert f'href="{reverse("reviews:workspace", args=[large.pk])}?area={area}"' in overview


def test_an_areas_criteria_are_for_those_who_may_read_the_review(client, world):
    url = reverse("reviews:workspace_criteria", args=[world.review.pk])
    area = world.review.assessments.values_list("criterion__support_area__code", flat=True).first()
    for who in ("adviser_off_team", "counterpart_other_state", "counterpart_not_invited"):
        client.force_login(getattr(world, who))
        assert client.get(url, {"area": area}, **HTMX).status_code == 404
    client.force_login(world.manager)  # reads, and may not change
    text = client.get(url, {"area": area}, **HTMX).content.decode()
    assert "readonly" in text and "csrfmiddlewaretoken" in text
    client.force_login(world.adviser)
    for query in ({"area": "all"}, {}, {"area": "no-such-area"}, {"area": area, "show": "nonsense"}):
        assert client.get(url, query, **HTMX).status_code == 404, query


def test_an_areas_criteria_take_as_many_queries_at_80_as_at_200_criteria(client, world, tmp_path):
    client.force_login(world.adviser)
    counts = []
    for size in (80, 200):
        review = factories.make_review_on(
            factories.make_library(tmp_path, size, f"size-{size}"), world.adviser, world.demoland
        )
        assessment = review.assessments.order_by("-criterion__support_area__order").first()
        save(
            client, review, assessment, rating="2", finding="x", evidence=[factories.make_instrument(world.demoland).pk]
        )
        area = assessment.criterion.support_area.code
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reviews:workspace_criteria", args=[review.pk]), {"area": area}, **HTMX)
        assert response.status_code == 200 and f'id="criterion-{assessment.pk}"' in response.content.decode()
        counts.append(len(queries))
    assert 0 < counts[0] == counts[1]


def test_an_autosave_stores_the_rating_finding_evidence_and_note(client, world):
    client.force_login(world.adviser)
    instrument = factories.make_instrument(world.demoland)
    assessment = world.review.assessments.first()
    response = save(
        client,
        world.review,
        assessment,
        rating="2",
        finding="Partly aligned.",
        internal_note="Ask the ministry.",
        evidence=[instrument.pk],
    )
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    assert 'value="2"' in response.content.decode()  # the new version, swapped into the form
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.finding, assessment.internal_note) == (
        2,
        "Partly aligned.",
        "Ask the ministry.",
    )
    assert list(assessment.evidence.all()) == [instrument]


def test_not_applicable_is_a_choice_of_the_scale(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    save(client, world.review, assessment, rating="na")
    assessment.refresh_from_db()
    assert assessment.not_applicable and assessment.rating is None


def test_a_stale_save_answers_409_with_the_other_persons_text_and_changes_nothing(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    assert save(client, world.review, assessment, finding="The first adviser's finding").status_code == 200
    response = save(client, world.review, assessment, finding="The second adviser's finding")  # still version 1
    assert response.status_code == 409
    assert "The first adviser&#x27;s finding" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.finding == "The first adviser's finding"


def test_keeping_mine_after_a_conflict_saves_over_theirs(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    save(client, world.review, assessment, finding="Theirs")
    assessment.refresh_from_db()
    assert save(client, world.review, assessment, finding="Mine").status_code == 200
    assessment.refresh_from_db()
    assert assessment.finding == "Mine"


def test_a_bad_rating_answers_400_and_changes_nothing(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    response = save(client, world.review, assessment, rating="7", finding="Kept?")
    assert response.status_code == 400
    assessment.refresh_from_db()
    assert assessment.finding == ""


def test_without_javascript_the_save_button_saves_and_returns_to_the_criterion(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    response = client.post(
        reverse("reviews:assessment", args=[world.review.pk, assessment.pk]),
        {"version": 1, "rating": "3", "finding": "Saved by the button"},
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#criterion-{assessment.pk}")
    assessment.refresh_from_db()
    assert assessment.finding == "Saved by the button"


def test_each_change_is_kept_in_the_history(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    save(client, world.review, assessment, finding="First")
    assessment.refresh_from_db()
    save(client, world.review, assessment, finding="Second", rating="1")
    entries = history_for(world.review, assessment_id=assessment.pk).order_by("pk")
    assert [(e.action, e.data["changes"], e.by) for e in entries] == [  # one entry per save, with its fields
        ("review.assessment.changed", {"finding": ["", "First"]}, world.adviser),
        ("review.assessment.changed", {"rating": ["", "1"], "finding": ["First", "Second"]}, world.adviser),
    ]
    page = client.get(reverse("reviews:history", args=[world.review.pk]) + f"?assessment={assessment.pk}")
    assert "Second" in page.content.decode()


def test_the_progress_counts_rated_and_not_applicable_criteria(client, world):
    client.force_login(world.adviser)
    first, second = world.review.assessments.all()[:2]
    save(client, world.review, first, rating="4")
    response = save(client, world.review, second, rating="na")
    total = world.review.assessments.count()
    assert f"2 of {total} assessed" in response.content.decode()


def test_a_manager_reads_the_workspace_but_cannot_save(client, world):
    client.force_login(world.manager)
    assert client.get(reverse("reviews:workspace", args=[world.review.pk])).status_code == 200
    assessment = world.review.assessments.first()
    assert save(client, world.review, assessment, finding="x").status_code == 404


def workspace_queries(client, review) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reviews:workspace", args=[review.pk]), {"area": "all"}).status_code == 200
    return len(queries)


def test_the_workspace_query_count_does_not_grow_with_the_number_of_criteria(client, world, tmp_path):
    client.force_login(world.adviser)
    small = factories.make_review_on(factories.make_library(tmp_path, 50, "small"), world.adviser, world.demoland)
    large = factories.make_review_on(factories.make_library(tmp_path, 200, "large"), world.adviser, world.demoland)
    for review in (small, large):
        factories.make_instrument(world.demoland, f"Act for {review.pk}")
        assessment = review.assessments.first()
        save(client, review, assessment, rating="2", finding="x", evidence=[world.demoland.instruments.first().pk])
    assert large.assessments.count() == 200
    small_count, large_count = workspace_queries(client, small), workspace_queries(client, large)
    assert 0 < small_count == large_count


def test_a_criterion_lists_the_instruments_it_cites_and_its_picker_brings_the_others(client, world):
    client.force_login(world.adviser)
    cited, _other, third = (factories.make_instrument(world.demoland, f"Act {n}") for n in ("Alpha", "Beta", "Gamma"))
    assessment = world.review.assessments.select_related("criterion__support_area").first()
    assert save(client, world.review, assessment, evidence=[cited.pk]).status_code == 200
    area = assessment.criterion.support_area.code
    page = client.get(reverse("reviews:workspace", args=[world.review.pk]), {"area": area}).content.decode()
    card = page[page.index(f'id="criterion-{assessment.pk}"') :].split("</article>")[0]
    assert f'name="evidence" value="{cited.pk}" checked' in card
    assert "Act Beta" not in card and "Act Gamma" not in card

    picker = client.get(reverse("reviews:assessment_evidence", args=[world.review.pk, assessment.pk]), **HTMX)
    assert picker.status_code == 200
    text = picker.content.decode()
    assert "Act Beta" in text and "Act Gamma" in text and "Act Alpha" not in text

    # Ticking one in the picker sends it with the cited ones: both are cited after the autosave.
    assessment.refresh_from_db()
    save(client, world.review, assessment, evidence=[cited.pk, third.pk])
    assert set(assessment.evidence.all()) == {cited, third}


def test_the_workspace_weighs_the_same_whatever_the_number_of_instruments(client, world):
    client.force_login(world.adviser)
    url = reverse("reviews:workspace", args=[world.review.pk])
    factories.make_instrument(world.demoland, "The one act")
    before = len(client.get(url, {"area": "all"}).content)
    for n in range(40):
        factories.make_instrument(world.demoland, f"Another act on entry and stay, number {n}")
    assert len(client.get(url, {"area": "all"}).content) == before


def test_without_javascript_a_criterion_has_a_page_with_every_instrument_and_a_refused_save_keeps_the_text(
    client, world
):
    client.force_login(world.adviser)
    instrument = factories.make_instrument(world.demoland, "Aliens Act")
    assessment = world.review.assessments.first()
    url = reverse("reviews:assessment", args=[world.review.pk, assessment.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and "Aliens Act" in page and 'name="evidence"' in page

    typed = "A finding far too long. " * 1000
    response = client.post(url, {"version": 1, "rating": "3", "finding": typed, "evidence": [instrument.pk]})
    assert response.status_code == 400
    text = response.content.decode()
    assert typed.strip() in text  # what was typed is in the form again, with the reason
    assert f'name="evidence" value="{instrument.pk}" checked' in text
    assert 'value="3" checked' in text
    assessment.refresh_from_db()
    assert assessment.finding == ""


def test_the_picker_is_for_the_team_only(client, world):
    assessment = world.review.assessments.first()
    url = reverse("reviews:assessment_evidence", args=[world.review.pk, assessment.pk])
    for who in ("manager", "counterpart", "adviser_off_team", "counterpart_other_state"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404
    other = world.other_review.assessments.first()
    client.force_login(world.adviser)
    assert client.get(reverse("reviews:assessment_evidence", args=[world.review.pk, other.pk])).status_code == 404


def shown_criteria(client, review, **query) -> set[str]:
    page = client.get(reverse("reviews:workspace", args=[review.pk]), {"area": "all", **query})
    assert page.status_code == 200
    return set(re.findall(r'<span class="code">([A-Z]+-\d+)</span>', page.content.decode()))


def test_the_workspace_filters_the_criteria_not_assessed_changed_with_threads_and_by_theme(client, world):
    from consultation import services as consultation
    from reviews.models import ReviewCycle
    from reviews.services import review_transition

    client.force_login(world.adviser)
    review = world.review
    every = set(review.assessments.values_list("criterion__code", flat=True))
    assert shown_criteria(client, review) == every
    rated = review.assessments.get(criterion__code="LP-01")
    save(client, review, rated, rating="2", finding="No written reasons.")
    assert shown_criteria(client, review, show="todo") == every - {"LP-01"}
    page = client.get(reverse("reviews:workspace", args=[review.pk]), {"show": "todo", "theme": "border_management"})
    assert '<option value="todo" selected>' in page.content.decode()  # the filters show what is chosen
    assert '<option value="border_management" selected>' in page.content.decode()
    assert shown_criteria(client, review, show="changed") == every  # no draft yet: everything is new

    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    draft = consultation.draft_publish(review=review, by=world.adviser)
    assert shown_criteria(client, review, show="changed") == set()
    other = review.assessments.exclude(criterion__code="LP-01").select_related("criterion").first()
    save(client, review, other, rating="1")
    assert shown_criteria(client, review, show="changed") == {other.criterion.code}

    consultation.comment_create(
        draft=draft, by=world.counterpart, body="Why?", target_type="finding", target_key="LP-01"
    )
    assert shown_criteria(client, review, show="threads") == {"LP-01"}

    theme = rated.criterion.thematic_area
    expected = set(review.assessments.filter(criterion__thematic_area=theme).values_list("criterion__code", flat=True))
    assert shown_criteria(client, review, theme=theme.code) == expected
    assert shown_criteria(client, review, theme=theme.code, show="threads") == {"LP-01"}
    page = client.get(
        reverse("reviews:workspace", args=[review.pk]), {"area": "all", "show": "todo", "theme": theme.code}
    )
    assert f"show=todo&amp;theme={theme.code}" in page.content.decode()  # the area links keep the filters
    assert client.get(reverse("reviews:workspace", args=[review.pk]), {"show": "nonsense"}).status_code == 404


def test_the_instruments_opened_from_a_review_keep_its_tabs(client, world):
    client.force_login(world.adviser)
    url = reverse("instruments:instruments", args=[world.demoland.code])
    page = client.get(url, {"review": world.review.pk}).content.decode()
    assert 'class="tabs"' in page and reverse("reviews:workspace", args=[world.review.pk]) in page
    assert 'aria-current="page">National instruments' in page
    assert 'class="tabs"' not in client.get(url).content.decode()  # opened on its own: the state's page
    other = client.get(url, {"review": world.other_review.pk}).content.decode()  # another state's review
    assert 'class="tabs"' not in other


# The criteria are kept rendered in the cache (reviews/fragments.py): what a page shows must still be what is true.


def criterion_card(client, review, assessment) -> str:
    area = assessment.criterion.support_area.code
    page = client.get(reverse("reviews:workspace", args=[review.pk]), {"area": area}).content.decode()
    return page[page.index(f'id="criterion-{assessment.pk}"') :].split("</article>")[0]


def test_a_kept_criterion_shows_a_cited_instrument_renamed_since(client, world):
    client.force_login(world.adviser)
    act = factories.make_instrument(world.demoland, "Aliens Act 2019")
    assessment = world.review.assessments.select_related("criterion__support_area").first()
    save(client, world.review, assessment, evidence=[act.pk])
    assert "Aliens Act 2019" in criterion_card(client, world.review, assessment)  # now kept
    instrument_update(instrument=act, by=world.adviser, title="Aliens and Asylum Act 2021")
    card = criterion_card(client, world.review, assessment)
    assert "Aliens and Asylum Act 2021" in card and "Aliens Act 2019" not in card


def test_a_kept_criterion_is_read_only_for_a_reader_who_cannot_change_it(client, world):
    assessment = world.review.assessments.select_related("criterion__support_area").first()
    client.force_login(world.adviser)
    assert "readonly" not in criterion_card(client, world.review, assessment)
    client.force_login(world.manager)
    assert "readonly" in criterion_card(client, world.review, assessment)
    client.force_login(world.adviser)
    assert "readonly" not in criterion_card(client, world.review, assessment)


def test_a_kept_criterion_tells_the_time_in_each_readers_time_zone(client, world):
    assessment = world.review.assessments.select_related("criterion__support_area").first()
    client.force_login(world.adviser)
    save(client, world.review, assessment, rating="2")
    assert " UTC" in criterion_card(client, world.review, assessment)
    reader = world.manager
    reader.time_zone = "Asia/Tokyo"
    reader.save(update_fields=["time_zone"])
    client.force_login(reader)
    assert " JST" in criterion_card(client, world.review, assessment)


def test_each_reader_of_a_kept_criterion_posts_it_with_their_own_csrf_token(world):
    assessment = world.review.assessments.select_related("criterion__support_area").first()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world.adviser)
    criterion_card(first, world.review, assessment)  # now kept
    second.force_login(world.adviser)
    card = criterion_card(second, world.review, assessment)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card)[1]
    url = reverse("reviews:assessment", args=[world.review.pk, assessment.pk])
    payload = {"csrfmiddlewaretoken": token, "version": assessment.version, "rating": "3", "finding": "Posted"}
    assert second.post(url, payload).status_code == 302
    assessment.refresh_from_db()
    assert assessment.finding == "Posted"


def test_the_workspace_is_made_without_the_cache_when_the_cache_is_down(client, world, settings, caplog):
    client.force_login(world.adviser)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get(reverse("reviews:workspace", args=[world.review.pk]), {"area": "all"})
    assert response.status_code == 200
    assert response.content.decode().count('<article class="criterion"') == world.review.assessments.count()
    assert "fragment cache could not be read" in caplog.text
