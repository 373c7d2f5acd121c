import pytest
from playwright.sync_api import expect

from consultation import services as consultation
from reviews.models import ReviewCycle
from reviews.services import review_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_lands_on_what_waits_for_them_and_each_line_leads_there(live_world, sign_in):
    review = live_world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=live_world.adviser)
    draft = consultation.draft_publish(review=review, by=live_world.adviser)
    consultation.comment_create(
        draft=draft, by=live_world.counterpart, body="Cite the decree.", target_type="finding", target_key="LP-01"
    )

    adviser = sign_in("adviser", start="/")
    expect(adviser.get_by_role("heading", name="Criteria still to assess")).to_be_visible()
    adviser.get_by_role("link", name="counterpart on LP-01, draft 1").click()
    expect(adviser.locator("#finding-LP-01 .thread")).to_contain_text("Cite the decree.")

    counterpart = sign_in("counterpart", start="/")
    expect(counterpart.get_by_role("heading", name="Drafts open for your comments")).to_be_visible()
    expect(counterpart.get_by_role("heading", name="Criteria still to assess")).to_have_count(0)
    counterpart.get_by_role("link", name="Draft 1 of Demoland review").click()
    expect(counterpart.locator("#finding-LP-01")).to_be_visible()

    manager = sign_in("manager", start="/")
    expect(manager.get_by_role("heading", name="Reviews waiting for your approval")).to_be_visible()
    manager.get_by_role("link", name="Open the portfolio").click()
    expect(manager.get_by_role("heading", level=1)).to_be_visible()


def test_the_inbox_counts_what_is_new_and_opens_it(live_world, sign_in):
    from consultation import notifications

    review = live_world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=live_world.adviser)
    draft = consultation.draft_publish(review=review, by=live_world.adviser)
    notifications.draft_published(draft.pk)

    page = sign_in("counterpart", start="/")
    inbox = page.get_by_role("link", name="Inbox 1 unread")
    expect(inbox).to_be_visible()
    inbox.click()
    page.get_by_role("link", name="Draft 1 of “Demoland review” is open for comments").click()
    expect(page.locator("#finding-LP-01")).to_be_visible()
    expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()  # nothing unread any more


def test_a_counterpart_downloads_a_draft_in_spanish(live_world, sign_in, monkeypatch):
    import io

    from pypdf import PdfReader

    from iomborder.celery import app
    from reports.models import ReportJob

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the worker's rendering, here
    review = live_world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=live_world.adviser)
    consultation.draft_publish(review=review, by=live_world.adviser)

    page = sign_in("counterpart", start=f"/reviews/{review.pk}/")
    page.get_by_label("Version").select_option(label="Draft 1")
    page.get_by_label("Language", exact=True).last.select_option("es")
    page.get_by_role("button", name="Make the report").click()
    expect(page.get_by_role("link", name="Download")).to_be_visible(timeout=60_000)
    job = ReportJob.objects.get(requested_by=live_world.counterpart)
    assert job.language == "es"
    with job.file.open("rb") as fh:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert "Resumen ejecutivo" in text
