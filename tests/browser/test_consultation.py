import pytest
from playwright.sync_api import expect

from reviews.models import ReviewCycle
from reviews.services import assessment_update, review_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = (
    'Look <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 1"> '
    '[link](javascript:window.pwned=1) <a href="javascript:window.pwned=1">here</a> **bold**'
)


@pytest.fixture
def consultation_world(live_world):
    review = live_world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=live_world.adviser)
    assessment = review.assessments.get(criterion__code="LP-01")
    assessment_update(
        assessment=assessment,
        by=live_world.adviser,
        version=assessment.version,
        rating=2,
        finding="The Act defines checks and refusal of entry, but gives no right to written reasons.",
    )
    return live_world


def test_the_whole_consultation_in_the_browser(consultation_world, sign_in):
    world = consultation_world
    review_url = f"/reviews/{world.review.pk}/"
    adviser = sign_in("adviser")
    adviser.goto(review_url)
    adviser.get_by_role("button", name="Publish draft 1 for consultation").click()
    expect(adviser.locator(".notice")).to_contain_text("criteria are not assessed")  # asked first, with what is left
    adviser.get_by_role("button", name="Publish draft 1").click()
    expect(adviser.locator(".draft-banner")).to_contain_text("Draft 1")

    counterpart = sign_in("counterpart")
    counterpart.goto(review_url)
    counterpart.get_by_role("link", name="Draft 1").first.click()
    finding = counterpart.locator("#finding-LP-01")
    finding.get_by_text("Comment on this finding").click()
    finding.get_by_label("Words you comment on").fill("no right to written reasons")
    finding.get_by_label("Your comment").fill("The 2025 decree gives written reasons.")
    finding.get_by_role("button", name="Send the comment").click()
    expect(counterpart.locator("#finding-LP-01 .thread")).to_contain_text("The 2025 decree gives written reasons.")

    adviser.goto(f"{review_url}drafts/1/")
    thread = adviser.locator("#finding-LP-01 .thread").first
    thread.get_by_text("Answer and set the status").click()
    thread.get_by_label("Status").select_option("addressed")
    thread.get_by_label("Answer").fill("The finding now cites the decree.")
    thread.get_by_role("button", name="Save the answer").click()
    adviser.goto(f"{review_url}assess/")
    card = adviser.locator("article.criterion", has_text="LP-01")
    card.get_by_label("Finding").fill("The Act and the 2025 decree give written reasons for a refusal of entry.")
    expect(card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)
    adviser.goto(review_url)
    adviser.get_by_role("button", name="Publish draft 2 for consultation").click()
    adviser.get_by_role("button", name="Publish draft 2").click()

    counterpart.goto(f"{review_url}drafts/2/")
    thread = counterpart.locator("#finding-LP-01 .thread").first
    expect(thread).to_contain_text("The finding now cites the decree.")
    expect(thread).to_contain_text("Outdated")
    counterpart.get_by_role("link", name="What changed between drafts").click()
    expect(counterpart.locator(".change").first).to_contain_text("LP-01")
    expect(counterpart.locator(".change ins").first).to_be_visible()


def test_a_hostile_comment_runs_nothing_in_another_persons_browser(consultation_world, sign_in):
    world = consultation_world
    adviser = sign_in("adviser")
    adviser.goto(f"/reviews/{world.review.pk}/")
    adviser.get_by_role("button", name="Publish draft 1 for consultation").click()
    adviser.get_by_role("button", name="Publish draft 1").click()

    counterpart = sign_in("counterpart")
    counterpart.goto(f"/reviews/{world.review.pk}/drafts/1/")
    counterpart.get_by_text("Comment on the whole draft").click()
    counterpart.locator("#body-draft-").fill(HOSTILE)
    counterpart.get_by_role("button", name="Send the comment").first.click()

    dialogs = []
    adviser.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    adviser.goto(f"/reviews/{world.review.pk}/drafts/1/")
    body = adviser.locator(".thread .comment-body").first
    expect(body.locator("strong")).to_have_text("bold")
    for link in body.locator("a").all():
        link.click()
    assert adviser.evaluate("window.pwned") is None
    assert dialogs == []
    assert body.locator("script, img, [onerror]").count() == 0
    assert all(not (a.get_attribute("href") or "").startswith("javascript") for a in body.locator("a").all())
