"""A streaming read replica (started by scripts/with-postgres.sh with DANGVU_PG_REPLICA=1): the scenario in
replica_scenario.py runs as its own process against a fresh database on the primary and the same database on the
replica. Routing, pinning a writer, the replica down and back, an export job, the connection pool."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

HERE = Path(__file__).parent
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.skipif(not os.environ.get("DANGVU_TEST_REPLICA_URL"), reason="no replica (DANGVU_PG_REPLICA=1)")
def test_reads_go_to_the_replica_writers_are_pinned_and_a_dead_replica_is_survived(tmp_path):
    import psycopg

    s = connection.settings_dict
    primary = f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}"
    name = f"rep_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{primary}/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    runas = os.environ.get("DANGVU_TEST_PG_RUNAS", "")
    ctl = f"{runas} {os.environ['DANGVU_TEST_PGBIN']}/pg_ctl -D {os.environ['DANGVU_TEST_REPLICA_DATA']}".strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_") or k.startswith("DANGVU_TEST_")}
    env.update(DANGVU_DATABASE_URL=f"{primary}/{name}", DANGVU_REPLICA_URL=f"{os.environ['DANGVU_TEST_REPLICA_URL']}/{name}",
               DANGVU_DB_POOL_MAX="4", DANGVU_TEST_REPLICA_CTL=ctl, DJANGO_SETTINGS_MODULE="dangvu.settings",
               DANGVU_VAR_DIR=str(tmp_path))  # fmt: skip
    try:
        out = subprocess.run([sys.executable, str(HERE / "replica_scenario.py")], env=env, capture_output=True,  # noqa: S603
                             text=True, timeout=300)  # fmt: skip
        assert out.returncode == 0 and out.stdout.strip().endswith("OK"), out.stderr[-4000:]
    finally:
        with psycopg.connect(f"{primary}/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
