import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from reviews.models import Assessment
from reviews.permissions import Role, grant_role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def criterion(page, assessment):
    return page.locator(f"#criterion-{assessment.pk}")


def test_an_adviser_rates_a_criterion_and_writes_a_finding_that_is_there_after_a_reload(live_world, sign_in):
    page = sign_in("adviser")
    page.get_by_role("link", name="Demoland review").click()
    page.locator(".tabs").get_by_role("link", name="Assessment").click()
    assessment = live_world.review.assessments.order_by("criterion__support_area__order", "criterion__order").first()
    card = criterion(page, assessment)
    card.get_by_label("2 – Partially aligned").check()
    card.get_by_label("Finding").fill("The strategy is adopted but has no human rights chapter.")
    expect(card.locator(".save-status")).to_contain_text("Unsaved changes")
    expect(card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)

    page.reload()
    card = criterion(page, assessment)
    expect(card.get_by_label("2 – Partially aligned")).to_be_checked()
    expect(card.get_by_label("Finding")).to_have_value("The strategy is adopted but has no human rights chapter.")
    expect(page.locator("#progress-overall")).to_contain_text("1 of")
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.finding) == (2, "The strategy is adopted but has no human rights chapter.")


def test_two_advisers_on_one_criterion_never_overwrite_each_other_silently(live_world, sign_in):
    colleague = factories.adviser("colleague")
    grant_role(review=live_world.review, user=colleague, role=Role.ADVISER)
    assessment = live_world.review.assessments.order_by("criterion__support_area__order", "criterion__order").first()
    workspace = f"/reviews/{live_world.review.pk}/assess/"

    first, second = sign_in("adviser"), sign_in("colleague")
    first.goto(workspace)
    second.goto(workspace)

    first_card = criterion(first, assessment)
    first_card.get_by_label("Finding").fill("Finding written by the first adviser.")
    expect(first_card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)

    second_card = criterion(second, assessment)
    second_card.get_by_label("Finding").fill("Finding written by the second adviser.")
    conflict = second_card.locator(".conflict")
    expect(conflict).to_contain_text("Finding written by the first adviser.", timeout=10_000)
    expect(second_card.get_by_label("Finding")).to_have_value("Finding written by the second adviser.")
    assert Assessment.objects.get(pk=assessment.pk).finding == "Finding written by the first adviser."

    second_card.get_by_role("button", name="Keep mine (replace theirs)").click()
    expect(second_card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)
    assert Assessment.objects.get(pk=assessment.pk).finding == "Finding written by the second adviser."


def test_the_workspace_is_filtered_and_walked_with_the_keyboard(live_world, sign_in):
    review = live_world.review
    ordered = list(
        review.assessments.select_related("criterion").order_by("criterion__support_area__order", "criterion__order")
    )
    first, second = ordered[0], ordered[1]
    Assessment.objects.filter(pk=first.pk).update(rating=3)
    page = sign_in("adviser", start=f"/reviews/{review.pk}/assess/")

    # "n" outside a text field: to the first criterion not rated, its rating focused; then the one after it.
    page.locator("h1").click()
    page.keyboard.press("n")
    expect(criterion(page, second).locator("input[name=rating]:focus")).to_have_count(1)
    page.keyboard.press("n")
    expect(criterion(page, ordered[2]).locator("input[name=rating]:focus")).to_have_count(1)

    page.get_by_label("Show").select_option("todo")
    page.get_by_role("button", name="Filter").click()
    expect(criterion(page, first)).to_have_count(0)
    expect(criterion(page, second)).to_be_visible()
    page.get_by_role("link", name="Clear the filters").click()
    expect(criterion(page, first)).to_be_visible()


def test_all_the_areas_of_a_large_review_come_as_the_adviser_scrolls_and_save_as_the_others(
    live_world, sign_in, tmp_path
):
    from reviews.selectors import ONE_AREA_AT_A_TIME_FROM

    library = factories.make_library(tmp_path, ONE_AREA_AT_A_TIME_FROM + 12, "large")
    large = factories.make_review_on(library, live_world.adviser, live_world.demoland)
    ordered = large.assessments.select_related("criterion__support_area").order_by(
        "criterion__support_area__order", "criterion__order"
    )
    first_area = ordered[0].criterion.support_area
    next_to_rate = ordered.exclude(criterion__support_area=first_area)[0]
    last = ordered.last()
    Assessment.objects.filter(review=large, criterion__support_area=first_area).update(rating=3)
    page = sign_in("adviser", start=f"/reviews/{large.pk}/assess/?area=all")
    expect(page.locator(".deferred-criteria")).to_have_count(5)
    expect(criterion(page, next_to_rate)).to_have_count(0)

    # "n" with every criterion of the first area rated: down to the next area, fetched as it comes into view.
    page.locator("h1").click()
    page.keyboard.press("n")
    expect(criterion(page, next_to_rate)).to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("n")
    expect(criterion(page, next_to_rate).locator("input[name=rating]:focus")).to_have_count(1)

    page.locator(f"#area-{last.criterion.support_area.code}").scroll_into_view_if_needed()
    card = criterion(page, last)
    expect(card).to_be_visible()
    expect(card.get_by_role("button", name="Save")).to_be_hidden()  # autosaved, as the criteria of the page
    card.get_by_label("1 – Initial").check()
    card.get_by_label("Finding").fill("No procedure for the referral of victims of trafficking.")
    expect(card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)
    last.refresh_from_db()
    assert (last.rating, last.finding) == (1, "No procedure for the referral of victims of trafficking.")


def test_typing_after_the_session_ended_is_kept_and_saved_once_signed_in_again_in_another_tab(live_world, sign_in):
    assessment = live_world.review.assessments.order_by("criterion__support_area__order", "criterion__order").first()
    page = sign_in("adviser", start=f"/reviews/{live_world.review.pk}/assess/")
    card = criterion(page, assessment)
    card.get_by_label("Finding").fill("Written before the session ended.")
    expect(card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)

    Session.objects.all().delete()  # idle too long, or signed out elsewhere
    card.get_by_label("Finding").fill("Written after the session ended.")
    banner = page.locator("#not-done")
    expect(banner).to_contain_text("Your session has ended", timeout=10_000)
    expect(banner).to_be_visible()
    expect(card.locator("form.assessment-form.is-dirty")).to_have_count(1)  # leaving the page asks first
    expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)  # not the sign-in page in the status

    # Signing in again in a new tab of the same browser (which renews the CSRF token too)...
    with page.context.expect_page() as opened:
        banner.get_by_role("link", name="Sign in again").click()
    tab = opened.value
    tab.get_by_label("Username").fill("adviser")
    tab.get_by_label("Password").fill(factories.PASSWORD)
    tab.locator("main").get_by_role("button", name="Sign in").click()
    expect(tab.locator(f"#criterion-{assessment.pk}")).to_be_visible()  # back to the workspace
    # ... the next change in the page left open saves what was typed.
    card.get_by_label("Finding").press("End")
    card.get_by_label("Finding").type(" Kept.")
    expect(card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)
    expect(banner).to_be_hidden()  # gone once a request succeeds again
    assert Assessment.objects.get(pk=assessment.pk).finding == "Written after the session ended. Kept."


def test_a_save_the_server_does_not_answer_says_so_and_the_next_change_saves(live_world, sign_in):
    assessment = live_world.review.assessments.order_by("criterion__support_area__order", "criterion__order").first()
    page = sign_in("adviser", start=f"/reviews/{live_world.review.pk}/assess/")
    card = criterion(page, assessment)
    finding = card.get_by_label("Finding")
    for outage in (lambda route: route.fulfill(status=503, body="Down"), lambda route: route.abort()):
        page.route(f"**/assessments/{assessment.pk}/", outage)  # the server down, then the network
        finding.press("End")
        finding.type(" More.")
        expect(card.locator(".save-status")).to_contain_text("Not saved: the server did not answer.", timeout=10_000)
        expect(card.locator("form.assessment-form.is-dirty")).to_have_count(1)
        page.unroute(f"**/assessments/{assessment.pk}/")
    finding.type(" Back.")
    expect(card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)
    assert Assessment.objects.get(pk=assessment.pk).finding == "More. More. Back."  # stripped
