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
