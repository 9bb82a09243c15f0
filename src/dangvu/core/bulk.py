"""Set-based inserts for big batches (imports, seeding).

On PostgreSQL: COPY, with primary keys reserved from the table's sequence first so the caller can link rows
to each other; several times faster than INSERT for 100,000 rows. Elsewhere: Django's bulk_create.
"""

from __future__ import annotations

from django.db import connection


def bulk_insert(model, objs: list) -> list:
    """Insert `objs` (unsaved instances) and set their primary keys. Run inside a transaction."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs)
    meta = model._meta
    fields = list(meta.concrete_fields)
    with connection.cursor() as cur:
        missing = [o for o in objs if o.pk is None]
        if missing:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(missing)],
            )
            for o, (pk,) in zip(missing, cur.fetchall(), strict=True):
                o.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cur.cursor.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for o in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(o, True), connection) for f in fields])
    for o in objs:
        o._state.adding = False
        o._state.db = connection.alias
    return objs
