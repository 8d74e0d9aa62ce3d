"""The PostgreSQL server of the tests that need one whatever the suite's database is: the
suite's own in the PostgreSQL pass, else TEST_POSTGRES_URL (.ci/run sets both), so CI checks
both engines in each pass. Without it such a test is skipped, and fails under CI=true."""
import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.conftest import IN_CI, ON_POSTGRES, TEST_DATABASE_URL

PG_URL = TEST_DATABASE_URL if ON_POSTGRES else os.environ.get("TEST_POSTGRES_URL", "")


def need_postgres() -> str:
    """PG_URL, or the test is skipped (failed in CI)."""
    if not PG_URL:
        if IN_CI:
            pytest.fail("PostgreSQL is required in CI: set TEST_POSTGRES_URL (see .ci/run).")
        pytest.skip("set TEST_DATABASE_URL or TEST_POSTGRES_URL to a PostgreSQL database")
    return PG_URL


@contextmanager
def scratch_postgres(prefix: str = "mab_scratch"):
    """A database of its own on the server (a test may end its backends or make it read-only:
    nothing else uses it), dropped afterwards: ``(url, admin engine, name)``."""
    base = make_url(need_postgres())
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:   # a missing server in CI is a failure, not a skip
        if IN_CI:
            pytest.fail(f"PostgreSQL not reachable at {base}: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    try:
        yield base.set(database=name).render_as_string(hide_password=False), admin, name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
