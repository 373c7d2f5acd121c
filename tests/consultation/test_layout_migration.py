"""The move of drafts, comments, invitations, validations and report jobs out of reviews loses nothing: a
database at the old layout, with a row in every moved table, is migrated to the new one (issue 10)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

OLD = [("followup", None), ("reports", None), ("consultation", None), ("reviews", "0008_text_length_limits")]


def test_a_database_at_the_old_layout_keeps_every_row(django_user_model):
    call_command("load_framework", verbosity=0)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(OLD)
    # Every other app as it is today, reviews as it was before the move.
    before = [n for n in leaves if n[0] not in ("reviews", "consultation", "reports", "followup")] + [OLD[-1]]
    old = executor.loader.project_state(before).apps
    User = old.get_model("iomborder", "User")
    user = User.objects.create(username="moved", email="moved@example.org", first_name="Mo", last_name="Ved")
    state = old.get_model("frameworks", "MemberState").objects.get(code="FR")
    framework = old.get_model("frameworks", "AssessmentFramework").objects.first()
    review = old.get_model("reviews", "ReviewCycle").objects.create(
        member_state=state, title="Before the move", framework=framework, created_by=user
    )
    draft = old.get_model("reviews", "DraftVersion").objects.create(
        review=review, number=1, snapshot={"kept": True}, content_hash="h", published_by=user
    )
    thread = old.get_model("reviews", "Comment").objects.create(draft=draft, author=user, body="A comment kept.")
    old.get_model("reviews", "Comment").objects.create(draft=draft, author=user, body="A reply.", parent=thread)
    old.get_model("reviews", "Invitation").objects.create(
        review=review, email="x@example.org", token_hash="t", invited_by=user, expires_at=timezone.now()
    )
    old.get_model("reviews", "StateValidation").objects.create(
        review=review,
        draft=draft,
        validated_by_name="Minister",
        validated_on=datetime.date(2026, 1, 1),
        recorded_by=user,
    )
    old.get_model("reviews", "EditRecord").objects.create(
        review=review, item_label="LP-01", field="finding", before="Old", after="New", by=user
    )
    old.get_model("reviews", "ReportJob").objects.create(
        review=review, draft=draft, language="en", requested_by=user, content_hash="c", state="failed"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from consultation.models import Comment, DraftVersion, Invitation, StateValidation
    from reports.models import ReportJob

    moved = DraftVersion.objects.get(review__title="Before the move")
    assert moved.snapshot == {"kept": True}
    assert [c.body for c in Comment.objects.filter(draft=moved).order_by("pk")] == ["A comment kept.", "A reply."]
    assert Invitation.objects.filter(review=moved.review).count() == 1
    assert StateValidation.objects.get(draft=moved).validated_by_name == "Minister"
    assert ReportJob.objects.get(draft=moved).state == "failed"
    assert ContentType.objects.get_for_model(DraftVersion).app_label == "consultation"
    assert ContentType.objects.get_for_model(ReportJob).app_label == "reports"
    assert not ContentType.objects.filter(app_label="reviews", model__in=["draftversion", "reportjob"]).exists()
    from core.models import ActionLog

    copied = ActionLog.objects.get(review_id=moved.review_id, action="review.recommendation.changed")
    assert copied.data == {"changes": {"finding": ["Old", "New"]}} and copied.by.username == "moved"
