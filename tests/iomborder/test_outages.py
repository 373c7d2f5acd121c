"""Faults end in a clear state, never a hang or a bare 500 (issue 8, items 8 and 9)."""

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from reports.models import ReportJob
from reports.services import report_failed_when_database_returns, report_request
from tests import factories

pytestmark = pytest.mark.django_db


class Outage:
    """The database refuses the next `queries` statements of this connection, as a server that went away."""

    def __init__(self, queries: int = 10**9):
        self.left = queries

    def __call__(self, execute, sql, params, many, context):
        if self.left > 0:
            self.left -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_a_page_during_a_database_outage_says_the_service_is_briefly_unavailable(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.adviser)
    with connection.execute_wrapper(Outage()):
        response = client.get(reverse("reviews:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.content.decode()


def test_the_api_during_a_database_outage_answers_a_json_503(world):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.adviser)
    with connection.execute_wrapper(Outage()):
        response = client.get(reverse("api-reviews"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "service_unavailable"


def test_a_job_is_marked_failed_as_soon_as_the_database_returns(world):
    job = report_request(review=world.review, by=world.adviser)
    with connection.execute_wrapper(Outage(queries=3)):
        assert report_failed_when_database_returns(job.pk, ReportJob.Error.RENDER, patience=30, first_wait=0.05)
    job.refresh_from_db()
    assert (job.state, job.error) == (ReportJob.State.FAILED, ReportJob.Error.RENDER)


def test_a_job_left_queued_by_a_broker_that_lost_it_is_queued_again(world, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from reports.services import requeue_abandoned_reports

    job = report_request(review=world.review, by=world.adviser)
    fresh = report_request(review=world.review, by=world.adviser, edition="public")
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert requeue_abandoned_reports() == [job.pk]
    fresh.refresh_from_db()
    assert fresh.state == ReportJob.State.QUEUED


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_a_report_the_queue_refused_answers_503_in_the_api_not_201():
    call_command("load_framework", verbosity=0)
    world = factories.World.build()
    client = APIClient()
    client.force_authenticate(world.adviser)
    response = client.post(reverse("api-report-request", args=[world.review.pk]), {}, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot be reached" in response.json()["detail"]


def test_a_refusal_answers_htmx_in_the_pages_banner_and_a_browser_with_a_page(rf):
    from django.contrib.auth.models import AnonymousUser

    from iomborder.errors import permission_denied

    asked = [rf.get("/reviews/", HTTP_HX_REQUEST="true"), rf.get("/reviews/")]
    for request in asked:
        request.user = AnonymousUser()
    htmx, page = (permission_denied(request) for request in asked)
    assert htmx.status_code == page.status_code == 403
    assert htmx["HX-Retarget"] == "#not-done" and "<html" not in htmx.content.decode()
    assert "You may not do this here." in htmx.content.decode()
    assert "<html" in page.content.decode() and not page.has_header("HX-Retarget")
