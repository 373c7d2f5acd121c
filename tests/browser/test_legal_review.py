"""Legal review down to the article, in the browser: the gap matrix filled and autosaved, its page accessible."""

import pytest
from playwright.sync_api import expect

from frameworks.models import StandardProvision
from reviews.models import GapEntry
from reviews.provisions import provision_create
from tests import factories
from tests.browser.conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_adviser_fills_the_gap_matrix_and_it_is_there_after_a_reload(live_world, sign_in):
    act = factories.make_instrument(live_world.demoland, title="Aliens Act")
    provision_create(instrument=act, by=live_world.adviser, number="12", heading="Exit", text="Everyone may leave.")
    article12 = StandardProvision.objects.get(code="iccpr-art-12")
    page = sign_in("adviser", start=f"/reviews/{live_world.review.pk}/", bypass_csp=False)
    page.locator(".tabs").get_by_role("link", name="Legal gap matrix").click()
    card = page.locator(f"#standard-{article12.pk}")
    expect(card.locator(".badge.gap")).to_be_visible()
    card.get_by_label("Implemented by").select_option(label="Aliens Act, Art. 12 Exit")
    card.get_by_role("button", name="Add").click()

    card = page.locator(f"#standard-{article12.pk}")
    expect(card.locator(".badge.gap")).to_have_count(0)
    card.get_by_label("Verdict").select_option(label="Fully meets")
    card.get_by_label("Comment").fill("Only a court may stop a citizen from leaving.")
    expect(card.locator(".save-status")).to_contain_text("Saved at", timeout=10_000)

    page.reload()
    card = page.locator(f"#standard-{article12.pk}")
    expect(card.get_by_label("Comment")).to_have_value("Only a court may stop a citizen from leaving.")
    entry = GapEntry.objects.get()
    assert (entry.verdict, entry.comment) == ("meets", "Only a court may stop a citizen from leaving.")


def test_the_gap_matrix_and_the_split_preview_have_no_serious_accessibility_fault(live_world, sign_in):
    act = factories.make_instrument(live_world.demoland, title="Aliens Act")
    provision_create(instrument=act, by=live_world.adviser, number="1", text="Text.")
    page = sign_in("adviser", start=f"/reviews/{live_world.review.pk}/gap-matrix/", bypass_csp=True)
    assert serious_violations(page) == []
    page.goto(f"/states/XD/instruments/{act.pk}/provisions/")
    assert serious_violations(page) == []
    page.goto("/search/?q=text")
    assert serious_violations(page) == []


def test_an_adviser_splits_a_french_law_corrects_the_preview_and_saves_it(live_world, sign_in, monkeypatch):
    from django.core.files.base import ContentFile

    from iomborder.celery import app
    from tests.frameworks.test_splitting import FRENCH

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the worker's split, here
    act = factories.make_instrument(live_world.demoland, title="Loi relative aux étrangers", language="fr")
    act.file.save("loi.txt", ContentFile(FRENCH.encode()))
    page = sign_in("adviser", start=f"/states/XD/instruments/{act.pk}/provisions/")
    page.get_by_role("button", name="Split the file into articles").click()
    expect(page.get_by_role("heading", name="Articles found in the file")).to_be_visible()
    expect(page.locator("legend", has_text="Art. 12 bis")).to_be_visible(timeout=10_000)
    # Article 13 joins 12 bis, and 2 is renumbered 2 A.
    rows = page.locator("fieldset.split-row")
    rows.nth(5).get_by_label("Merge with the article above").check()
    rows.nth(2).get_by_label("Number").fill("2 A")
    page.get_by_role("button", name="Save the articles").click()
    expect(page.get_by_text("Articles saved: 4 new")).to_be_visible()
    assert list(act.provisions.values_list("number", flat=True)) == ["1", "2 A", "12", "12 bis"]
    expect(page.locator("article.provision")).to_have_count(4)


def test_leaving_the_gap_matrix_with_a_line_not_saved_asks_first(live_world, sign_in):
    act = factories.make_instrument(live_world.demoland, title="Aliens Act")
    provision_create(instrument=act, by=live_world.adviser, number="12", heading="Exit", text="Everyone may leave.")
    article12 = StandardProvision.objects.get(code="iccpr-art-12")
    page = sign_in("adviser", start=f"/reviews/{live_world.review.pk}/gap-matrix/")
    card = page.locator(f"#standard-{article12.pk}")
    card.get_by_label("Implemented by").select_option(label="Aliens Act, Art. 12 Exit")
    card.get_by_role("button", name="Add").click()
    card = page.locator(f"#standard-{article12.pk}")
    expect(card.get_by_label("Comment")).to_be_visible()

    page.route("**/gap-matrix/*/", lambda route: route.fulfill(status=503, body="Down"))
    card.get_by_label("Comment").fill("Only a court may stop a citizen from leaving.")
    expect(card.locator(".save-status")).to_contain_text("Not saved: the server did not answer.", timeout=10_000)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    expect(card.get_by_label("Comment")).to_have_value("Only a court may stop a citizen from leaving.")
    assert asked == ["beforeunload"]
