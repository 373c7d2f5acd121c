"""log_action: what every service calls once per write, inside its transaction (in the manner of pretix)."""

from django.contrib.contenttypes.models import ContentType

from core.models import ActionLog


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def log_action(
    action: str, *, by=None, obj=None, review_id: int | None = None, changes: dict | None = None, **facts
) -> ActionLog:
    """Record an action. `changes` maps a field to (before, after); `facts` are kept as they are (made plain)."""
    data = {key: _plain(value) for key, value in facts.items()}
    if changes:
        data["changes"] = {name: [_plain(before), _plain(after)] for name, (before, after) in changes.items()}
    return ActionLog.objects.create(
        action=action,
        by=by if getattr(by, "pk", None) else None,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        review_id=review_id,
        data=data,
    )
