"""Pages on a 375 px phone do not scroll sideways; axe-core finds no serious violation on the three journeys'
pages; the focus ring is visible (issue 8, "Also")."""

import pytest

from consultation import services as consultation
from frameworks.models import SupportArea
from reviews.models import ReviewCycle
from reviews.services import assessment_update, recommendation_create, review_transition
from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def journeys(live_world):
    world = live_world
    review = world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    assessment = review.assessments.get(criterion__code="LP-01")
    assessment_update(
        assessment=assessment,
        by=world.adviser,
        version=assessment.version,
        rating=2,
        finding="The Border Management Act of 2019 defines first-line and second-line checks and the refusal of "
        "entry, but gives no right to written reasons in a language the person understands.",
    )
    recommendation_create(
        review=review,
        by=world.adviser,
        text="Amend the Border Management Act so that every refusal of entry is given in writing.",
        support_area=SupportArea.objects.get(code="legal_policy"),
        responsible_institution="Ministry of the Interior",
    )
    draft = consultation.draft_publish(review=review, by=world.adviser)
    consultation.comment_create(
        draft=draft,
        by=world.counterpart,
        body="The 2025 decree gives written reasons.",
        target_type="finding",
        target_key="LP-01",
    )
    return world


def sideways(page) -> int:
    """How many pixels the page is wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_pages_of_a_counterpart_and_an_adviser_fit_a_phone(sign_in, journeys):
    r = journeys.review.pk
    for username, paths in [
        ("counterpart", ["/reviews/", f"/reviews/{r}/", f"/reviews/{r}/drafts/1/"]),
        ("adviser", ["/reviews/", f"/reviews/{r}/", f"/reviews/{r}/assess/", f"/reviews/{r}/recommendations/"]),
    ]:
        page = sign_in(username, PHONE)
        for path in paths:
            page.goto(path)
            assert sideways(page) <= 0, f"{username} {path} is {sideways(page)} px wider than a 375 px phone"


def test_axe_finds_no_serious_violation_on_the_journeys_pages(sign_in, journeys):
    r = journeys.review.pk
    found = {}
    for username, paths in [
        ("counterpart", ["/reviews/", f"/reviews/{r}/", f"/reviews/{r}/drafts/1/"]),
        (
            "adviser",
            [f"/reviews/{r}/", f"/reviews/{r}/assess/", f"/reviews/{r}/recommendations/", f"/reviews/{r}/history/"],
        ),
        ("manager", ["/reviews/portfolio/", f"/reviews/{r}/"]),
    ]:
        # The test injects axe-core, which the site's Content Security Policy rightly refuses: bypassed here only.
        page = sign_in(username, bypass_csp=True)
        for path in paths:
            page.goto(path)
            serious = serious_violations(page)
            if serious:
                found[f"{username} {path}"] = serious
    assert found == {}


def luminance(channels) -> float:
    """WCAG's relative luminance of an sRGB colour."""

    def linear(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_the_focus_ring_stands_out_on_white(sign_in, journeys):
    page = sign_in("adviser")
    page.goto(f"/reviews/{journeys.review.pk}/")
    page.keyboard.press("Tab")
    color = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"
    rgb = [int(x) for x in color[color.index("(") + 1 : color.index(")")].split(",")[:3]]
    contrast = 1.05 / (luminance(rgb) + 0.05)  # against white, whose luminance is 1
    assert contrast >= 3, f"focus ring {color} has a contrast of {contrast:.1f} on white"
