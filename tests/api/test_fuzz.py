"""A bounded, reproducible fuzz run of the whole API from its own OpenAPI schema (schemathesis): every
operation, fixed seed, a bounded number of examples, as an officer of the province. It must find no server
error, no response that breaks the schema, no status the schema does not declare, and no schema-valid
request refused for its shape."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from dangvu.accounts import services as asvc
from dangvu.wsgi import application
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

EXAMPLES = int(os.environ.get("DANGVU_FUZZ_EXAMPLES", "25"))  # per operation; `make test` uses 25


# A schema-valid request may be refused for a business rule (400), for the caller's scope (403/404) or the
# object's state (409); a 422 would mean the schema promised something the API does not accept.
CONFIG = SchemathesisConfig.from_dict({
    "seed": 1,
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2XX", "400", "401", "403", "404", "409"]}},
})  # fmt: skip
# Loaded at collection through the app itself (no server, no database needed to read the schema).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def same_connection():
    """Schemathesis calls the WSGI application directly, which would close the database connection at the end
    of each request (as a server should) and with it the test's transaction; Django's own test client avoids
    this the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(same_connection, tree, people, django_user_model):  # noqa: F811
    officer = django_user_model.objects.create_user("canbo-tinh", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=officer, organisation=tree["P"], role="officer", by=None)
    return asvc.token_create(user=officer, name="fuzz", by=officer)[1]


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))  # fmt: skip
@pytest.mark.django_db
def test_the_api_behaves_as_its_schema_says(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},  # WSGI mode does not un-gzip
        checks=[checks.not_a_server_error, checks.response_schema_conformance, checks.status_code_conformance,
                checks.content_type_conformance, checks.positive_data_acceptance],
    )  # fmt: skip


def test_every_schema_class_has_its_own_name():
    """django-ninja names components after the class: two `DecisionIn` in two apps collide, and the document
    then describes the wrong body for one of the operations."""
    import inspect

    from ninja import Schema

    from dangvu.dossiers import api as d
    from dangvu.evaluations import api as e
    from dangvu.meetings import api as mt
    from dangvu.members import api as mb
    from dangvu.organizations import api as o

    seen: dict[str, str] = {}
    clashes = []
    for module in (d, e, mt, mb, o):
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == module.__name__:
                if name in seen:
                    clashes.append(f"{name}: {seen[name]} and {module.__name__}")
                seen[name] = module.__name__
    assert clashes == []
