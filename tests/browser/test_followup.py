import pytest
from playwright.sync_api import expect

from consultation import services as consultation
from followup.models import Position
from frameworks.models import SupportArea
from reviews.models import ReviewCycle
from reviews.services import recommendation_create, review_transition
from tests.browser.conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_workshop_records_three_positions_from_the_keyboard(live_world, sign_in):
    review = live_world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=live_world.adviser)
    area = SupportArea.objects.get(code="processes")
    for text in ("Adopt SOPs.", "Train officers.", "Publish the requirements."):
        recommendation_create(review=review, by=live_world.adviser, text=text, support_area=area)
    consultation.draft_publish(review=review, by=live_world.adviser)
    consultation.submit_for_validation(review=review, by=live_world.adviser)

    page = sign_in("adviser", start=f"/reviews/{review.pk}/", bypass_csp=True)  # for axe-core
    page.get_by_role("link", name="Follow-up").first.click()
    page.get_by_role("link", name="Positions of the government").first.click()
    page.get_by_role("link", name="Workshop mode: record the positions one by one").click()
    expect(page.locator("#workshop-card")).to_contain_text("Adopt SOPs.")
    assert serious_violations(page) == []
    page.reload()  # without axe-core's script

    page.locator("body").press("1")  # accepted
    page.keyboard.press("Control+Enter")
    expect(page.locator("#workshop-card")).to_contain_text("Train officers.")
    expect(page).to_have_url(f"{page.url.rsplit('/', 2)[0]}/2/")
    # The focus is on the new card's first choice: the keys work straight away.
    page.keyboard.press("2")  # accepted with amended wording
    page.get_by_label("Agreed wording").fill("Train officers and police.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#workshop-card")).to_contain_text("Publish the requirements.")
    page.keyboard.press("4")  # rejected
    page.get_by_label("Reason given").fill("One official language only.")
    page.get_by_role("button", name="Save and finish").click()

    expect(page.get_by_role("heading", name="Positions of the government")).to_be_visible()
    expect(page.locator("table.positions")).to_contain_text("Train officers and police.")
    assert serious_violations(page) == []
    stances = sorted(Position.objects.filter(recommendation__review=review).values_list("stance", flat=True))
    assert stances == ["accepted", "amended", "rejected"]


def test_the_focal_point_reports_progress_and_the_dashboard_follows_the_advisers_acceptance(
    live_world, sign_in, tmp_path
):
    import datetime

    from django.utils import timezone

    from followup.services import action_create, position_record
    from reviews.permissions import Role, grant_role
    from tests import factories

    review = live_world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=live_world.adviser)
    recommendation = recommendation_create(
        review=review, by=live_world.adviser, text="Adopt SOPs.", support_area=SupportArea.objects.get(code="processes")
    )
    consultation.draft_publish(review=review, by=live_world.adviser)
    consultation.submit_for_validation(review=review, by=live_world.adviser)
    position_record(review=review, recommendation_id=recommendation.pk, by=live_world.adviser, stance="accepted")
    focal = factories.counterpart("focal", live_world.demoland)
    grant_role(review=review, user=focal, role=Role.FOCAL_POINT)
    today = timezone.localdate()
    action = action_create(
        review=review,
        by=live_world.adviser,
        recommendations=[recommendation],
        title="Adopt the SOPs for secondary inspection",
        responsible_institution="Border Police",
        focal_point=focal,
        start_date=today - datetime.timedelta(days=10),
        due_date=today + datetime.timedelta(days=80),
        indicator="SOPs adopted",
    )
    evidence = tmp_path / "decree.pdf"
    evidence.write_bytes(b"%PDF-1.4 the decree adopting the SOPs")

    ministry = sign_in("focal", start=f"/reviews/{review.pk}/follow-up/")
    ministry.get_by_role("link", name="Adopt the SOPs for secondary inspection").first.click()
    ministry.get_by_label("Progress made").fill("The SOPs were adopted by decree.")
    ministry.get_by_label("Value of the indicator").fill("adopted")
    ministry.get_by_label("The action is completed").check()
    ministry.get_by_label("Evidence (a file)").set_input_files(str(evidence))
    ministry.get_by_role("button", name="Send the report").click()
    expect(ministry.locator(".messages")).to_contain_text("Your report is sent to the IOM team.")

    adviser = sign_in("adviser", start=f"/reviews/{review.pk}/follow-up/actions/{action.pk}/")
    expect(adviser.locator(".progress-report")).to_contain_text("The SOPs were adopted by decree.")
    adviser.get_by_role("button", name="Accept").click()
    expect(adviser.locator(".messages")).to_contain_text("The report is accepted.")
    adviser.get_by_role("link", name="Action plan and progress").click()
    expect(adviser.locator(".big-figure")).to_contain_text("100 % of the actions completed (1 of 1")
    expect(adviser.locator("table.plan")).to_contain_text("Completed")


def test_a_workshop_card_sent_after_the_session_ended_keeps_what_was_typed(live_world, sign_in):
    from django.contrib.sessions.models import Session

    review = live_world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=live_world.adviser)
    recommendation_create(
        review=review, by=live_world.adviser, text="Adopt SOPs.", support_area=SupportArea.objects.get(code="processes")
    )
    consultation.draft_publish(review=review, by=live_world.adviser)
    consultation.submit_for_validation(review=review, by=live_world.adviser)
    page = sign_in("adviser", start=f"/reviews/{review.pk}/")
    page.get_by_role("link", name="Follow-up").first.click()
    page.get_by_role("link", name="Positions of the government").first.click()
    page.get_by_role("link", name="Workshop mode: record the positions one by one").click()
    page.locator("body").press("4")  # rejected
    page.get_by_label("Reason given").fill("One official language only.")

    Session.objects.all().delete()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.locator("#not-done")).to_contain_text("Your session has ended", timeout=10_000)
    expect(page.get_by_label("Reason given")).to_have_value("One official language only.")  # the card is still there
    assert not Position.objects.filter(recommendation__review=review).exists()
