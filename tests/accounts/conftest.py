from tests.members.conftest import add, people  # noqa: F401 (fixtures)
