import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import Action

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


def test_the_api_builds_the_plan_and_follows_its_progress(client, world, with_positions, focal_point):
    today = timezone.localdate()
    first, _second, rejected = with_positions.recommendations.order_by("pk")
    action = {
        "title": "Adopt the SOPs",
        "recommendations": [first.pk],
        "responsible_institution": "Border Police",
        "focal_point": focal_point.pk,
        "start_date": (today - datetime.timedelta(days=30)).isoformat(),
        "due_date": (today + datetime.timedelta(days=60)).isoformat(),
        "indicator": "SOPs adopted",
    }
    url = reverse("api-actions", args=[with_positions.pk])
    client.force_login(world.adviser)
    refused = client.post(url, {**action, "recommendations": [rejected.pk]}, **JSON)
    assert refused.status_code == 400 and "recommendations" in refused.json()
    created = client.post(url, action, **JSON)
    assert created.status_code == 201 and created.json()["status"] == "not_started"
    detail = reverse("api-action", args=[with_positions.pk, created.json()["id"]])
    assert client.patch(detail, {"version": 1, "target": "adopted"}, **JSON).status_code == 200
    stale = client.patch(detail, {"version": 1, "target": "other"}, **JSON)
    assert stale.status_code == 409 and stale.json()["target"] == "adopted"

    progress = reverse("api-action-progress", args=[created.json()["id"]])
    client.force_login(focal_point)
    early = client.post(progress, {"period": "2001-01-01", "progress": "Long ago."}, **JSON)
    assert early.status_code == 400 and "period" in early.json()
    sent = client.post(progress, {"period": today.isoformat(), "progress": "Adopted.", "completed": True}, **JSON)
    assert sent.status_code == 201 and sent.json()["state"] == "submitted"
    client.force_login(world.adviser)
    accepted = client.patch(progress, {"report": sent.json()["id"], "decision": "accept"}, **JSON)
    assert accepted.status_code == 200
    assert client.get(detail).json()["status"] == "completed"
    assert Action.objects.count() == 1
