from django.db import migrations

FIELD_ACTIONS = {"deleted": "review.recommendation.deleted", "restored": "review.recommendation.restored"}


def copy_history(apps, schema_editor):
    """Every field change kept so far (EditRecord) becomes an entry of the action log, with its time, author,
    item and before/after: the History page reads the log, and nothing of the past is lost."""
    EditRecord = apps.get_model("reviews", "EditRecord")
    ActionLog = apps.get_model("core", "ActionLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = {
        name: ContentType.objects.get_or_create(app_label="reviews", model=name)[0]
        for name in ("assessment", "recommendation")
    }
    entries = []
    for record in EditRecord.objects.order_by("pk").iterator():
        kind = "assessment" if record.assessment_id else "recommendation"
        action = FIELD_ACTIONS.get(record.field) or (
            "review.assessment.scope_changed" if record.field == "in_scope" else f"review.{kind}.changed"
        )
        target = record.assessment_id or record.recommendation_id
        changes = {} if record.field in FIELD_ACTIONS else {record.field: [record.before, record.after]}
        entries.append(
            ActionLog(
                at=record.at,
                by_id=record.by_id,
                action=action,
                content_type=types[kind] if target else None,
                object_id=str(target or ""),
                object_repr=record.item_label[:300],
                review_id=record.review_id,
                data={"changes": changes} if changes else {},
            )
        )
    ActionLog.objects.bulk_create(entries, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_move_consultation_and_reports"),
        ("core", "0001_action_log"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_history, migrations.RunPython.noop)]
