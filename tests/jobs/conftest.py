import pytest

from tests.jobs.helpers import run_worker
from tests.members.conftest import add, people  # noqa: F401  (fixtures)


@pytest.fixture
def work():
    """Run what is on the queue, as `dangvu worker` does, then return."""

    return run_worker
