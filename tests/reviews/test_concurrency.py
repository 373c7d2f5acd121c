"""Advisers saving different criteria of one review at the same moment: each save is kept, none waits for
ever or fails on a deadlock (real threads, real PostgreSQL transactions)."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from reviews.services import assessment_update, recommendation_create, recommendation_update
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's (SQLite serialises)")
def test_concurrent_autosaves_of_one_review_all_land():
    call_command("load_framework", verbosity=0)
    world = factories.World.build()
    from frameworks.models import SupportArea

    assessments = list(world.review.assessments.all()[:4])
    recommendation = recommendation_create(
        review=world.review, by=world.adviser, text="Start", support_area=SupportArea.objects.get(code="processes")
    )
    errors, barrier = [], threading.Barrier(len(assessments) + 1)

    def save_assessment(assessment):
        try:
            barrier.wait()
            for n in range(15):
                assessment.refresh_from_db()
                assessment_update(assessment=assessment, by=world.adviser, version=assessment.version, finding=f"{n}")
        except Exception as exc:  # the failure is the finding: a deadlock or a lock timeout
            errors.append(repr(exc))
        finally:
            connection.close()

    def save_recommendation():
        try:
            barrier.wait()
            for n in range(15):
                recommendation.refresh_from_db()
                recommendation_update(
                    recommendation=recommendation, by=world.adviser, version=recommendation.version, text=f"Text {n}"
                )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=save_assessment, args=(a,)) for a in assessments]
    workers.append(threading.Thread(target=save_recommendation))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    assert sorted(a.finding for a in world.review.assessments.filter(pk__in=[a.pk for a in assessments])) == ["14"] * 4
