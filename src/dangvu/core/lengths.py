"""A text longer than its column is refused with a field error, never cut: SQLite would keep all 10,000 characters
of a pasted name, PostgreSQL would refuse the whole write without saying which field, and a browser's maxlength cuts
it silently (our widgets render without one). Checked before every save of the project's models."""

from django.db import models
from django.db.models.signals import pre_save

from .errors import DomainError

ERR_TOO_LONG = "{label}: tối đa {limit} ký tự; nội dung đã nhập dài {n} ký tự, hãy rút gọn."


def check(instance) -> None:
    for f in instance._meta.concrete_fields:
        if isinstance(f, models.CharField) and f.max_length:
            value = getattr(instance, f.attname, None)
            if isinstance(value, str) and len(value) > f.max_length:
                label = str(f.verbose_name)
                raise DomainError(ERR_TOO_LONG.format(label=label[:1].upper() + label[1:], limit=f.max_length,
                                                      n=len(value)), field=f.name)  # fmt: skip


def _before_save(sender, instance, raw=False, **kw) -> None:
    if not raw:  # fixtures load as they are
        check(instance)


def connect(app_labels: set[str]) -> None:
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label in app_labels:
            pre_save.connect(_before_save, sender=model, dispatch_uid=f"dangvu.lengths.{model._meta.label}")
