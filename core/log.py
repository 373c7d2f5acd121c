"""log_action: what every service calls once per write, inside its transaction (in the manner of pretix)."""

from django.contrib.contenttypes.models import ContentType

from core.models import ActionLog


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def action_entry(
    action: str, *, by=None, obj=None, review_id: int | None = None, changes: dict | None = None, **facts
) -> ActionLog:
    """An entry, not yet saved. `changes` maps a field to (before, after); `facts` are kept as they are (made
    plain)."""
    data = {key: _plain(value) for key, value in facts.items()}
    if changes:
        data["changes"] = {name: [_plain(before), _plain(after)] for name, (before, after) in changes.items()}
    return ActionLog(
        action=action,
        by=by if getattr(by, "pk", None) else None,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        review_id=review_id,
        data=data,
    )


def log_action(action: str, **details) -> ActionLog:
    """Record one action (see action_entry for the details)."""
    entry = action_entry(action, **details)
    entry.save()
    return entry


def log_actions(entries: list[ActionLog]) -> None:
    """Record several actions of one act in one statement (a scope save that moves 200 criteria)."""
    ActionLog.objects.bulk_create(entries)
