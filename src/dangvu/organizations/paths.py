"""Rows elsewhere that copy an organisation's path (for subtree rollups) register here, so a move or a
merge rewrites them in the same set-based UPDATE, inside the decision's transaction."""

from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr

_PATH_COPIES: list[tuple[type, str]] = []


def register_path_copy(model, field: str) -> None:
    if (model, field) not in _PATH_COPIES:
        _PATH_COPIES.append((model, field))


def rewrite_prefix(model, field: str, old: str, new: str) -> int:
    """Replace the prefix `old` by `new` on every row of `model` whose `field` starts with `old`."""
    return model.objects.filter(**{f"{field}__startswith": old}).update(
        **{field: Concat(Value(new), Substr(field, Length(Value(old)) + 1))}
    )


def rewrite_copies(old: str, new: str) -> None:
    for model, field in _PATH_COPIES:
        rewrite_prefix(model, field, old, new)
