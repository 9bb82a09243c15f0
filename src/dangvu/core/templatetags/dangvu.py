import datetime as dt

from django import template

register = template.Library()


@register.filter
def add_days(value: dt.date | None, days: int):
    return value + dt.timedelta(days=int(days)) if value else value


@register.filter
def lookup(mapping: dict, key):
    """`{{ labels|lookup:e.action }}`: the mapping's value, or the key itself."""
    return mapping.get(key, key)


@register.filter
def model_label(label: str) -> str:
    """"members.member" → "đảng viên": what the audit log's object types are called in the interface."""
    return object_type_name(label)


def object_type_name(label: str) -> str:
    from django.apps import apps

    special = {"url": "địa chỉ trang", "auth.user": "tài khoản"}
    if label in special:
        return special[label]
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


@register.filter
def person_name(user) -> str:
    """An account's name in the Vietnamese order (family, middle, given: "Nông Văn Tiến"), or its username."""
    if user is None:
        return ""
    name = f"{getattr(user, 'last_name', '')} {getattr(user, 'first_name', '')}".strip()
    return name or getattr(user, "username", "")


@register.filter
def has_required(form) -> bool:
    """Whether a form has a required field shown (for the "* bắt buộc" legend)."""
    return any(f.field.required and not f.is_hidden for f in form) if form is not None else False


@register.inclusion_tag("core/chart.html")
def chart(c):
    """`{% chart c %}`: a `core.charts.Chart` as inline SVG with its table (see core/charts.py)."""
    return {"c": c}
