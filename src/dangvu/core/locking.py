"""Row locks for state transitions: the precondition is checked on the row as it is now, with the row locked, in
the transaction that changes it. Two clicks, two tabs or two people then have one effect: the second waits for
the first, sees the new state, and is refused (`core.errors.Conflict`, 409 in the API) instead of writing again.

On PostgreSQL the lock is `SELECT … FOR UPDATE`. SQLite has no row locks: there the settings open every
transaction with BEGIN IMMEDIATE, so writers run one after another and the re-read sees the committed state.
"""

from __future__ import annotations

from django.db import transaction


def lock(*objs):
    """Lock the rows of these model instances (in primary-key order per model, so two transactions never wait
    on each other in a circle) and reload them. Call inside `transaction.atomic()`; returns the first."""
    assert transaction.get_connection().in_atomic_block, "lock() outside a transaction locks nothing"
    by_model: dict = {}
    for o in objs:
        if o is not None and o.pk is not None:
            by_model.setdefault(type(o)._meta.concrete_model, []).append(o)
    for model, items in sorted(by_model.items(), key=lambda kv: kv[0]._meta.label):
        list(model._default_manager.select_for_update().filter(pk__in={o.pk for o in items})
             .order_by("pk").values_list("pk", flat=True))  # fmt: skip
        for o in items:
            o.refresh_from_db()
    return objs[0] if objs else None
