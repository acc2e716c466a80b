from typing import Any

from django.db import models

from navet.core.models import AuditEntry


def audit_log(*, actor: Any, action: str, obj: models.Model, **data: Any) -> AuditEntry:
    """Record a change. Call inside the service's transaction so both land or neither."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data={key: _jsonable(value) for key, value in data.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "str": str(value)}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
