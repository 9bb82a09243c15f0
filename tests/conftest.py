import datetime as dt

import pytest
from django.db import connection
from django.test import Client

from dangvu.organizations import services as svc
from dangvu.organizations.models import OrgType


def pytest_collection_modifyitems(config, items):
    on_pg = connection.vendor == "postgresql"
    for item in items:
        if "postgres" in item.keywords and not on_pg:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (run by `make test`)"))


def verify_second_factor(client, user) -> None:
    """Mark the client's session as verified with a TOTP device (created if the user has none), as if the
    user had typed the code: what officers and administrators must do after their password."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class VerifiedClient(Client):
    """`force_login` also passes the second factor, unless `verified=False` (to test the requirement)."""

    def force_login(self, user, backend=None, verified=True):
        super().force_login(user, backend)
        if verified:
            verify_second_factor(self, user)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing passwords with the production work factor costs ~0.3 s each: tests use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def due_decisions_checked():
    """The first request of a day looks for decisions recorded ahead that have come due (organizations.ahead): done
    here, so that a test's query count never depends on whether it made the process's first request. Recording or
    cancelling a pending decision makes the next request look again, as in production."""
    from dangvu.core.dates import today
    from dangvu.organizations import ahead

    ahead._memo.update(day=today(), next=None)


@pytest.fixture(autouse=True)
def own_var_dir(settings, tmp_path):
    """Files the app writes under var/ (demo logins, uploads waiting for confirmation) go to a temporary
    folder, never into the developer's own var/."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def types(db):
    return {t.code: t for t in OrgType.objects.all()}


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-rat-dai-1")


def decision(y=2024, m=1, d=1, number="Số 12-QĐ/TU", **kw) -> svc.Decision:
    return svc.Decision(number=number, effective_on=dt.date(y, m, d), **kw)


@pytest.fixture
def tree(admin_user, types):
    """A small province: P > district D > communes C1 (cells C1-T1, C1-T2), C2 (cell C2-T1); agency grassroots A."""
    by = admin_user
    d0 = decision(2010, 1, 1)

    def mk(code, name, t, parent):
        return svc.org_establish(by=by, spec=svc.NewOrg(code, name, types[t], parent), decision=d0)

    p = mk("P", "Đảng bộ tỉnh Thử Nghiệm", "tinh", None)
    d = mk("D", "Đảng bộ huyện Đồi Núi", "huyen", p)
    c1 = mk("C1", "Đảng bộ xã Khánh Yên", "dbcs-xa", d)
    c2 = mk("C2", "Đảng bộ xã Võ Lao", "dbcs-xa", d)
    t11 = mk("C1-T1", "Chi bộ thôn Nà Lộc", "cbtt-thon", c1)
    t12 = mk("C1-T2", "Chi bộ thôn Đồng Tâm", "cbtt-thon", c1)
    t21 = mk("C2-T1", "Chi bộ thôn Khe Bàn", "cbtt-thon", c2)
    a = mk("A", "Chi bộ Trường THCS Dương Quỳ", "cbcs-su-nghiep", d)
    return {o.code: o for o in (p, d, c1, c2, t11, t12, t21, a)}


def load_reference_data() -> None:
    """What the data migrations loaded (organisation types, rule sets, catalogues, the calendar), loaded again
    when missing: a transactional test's database is flushed after it, taking those rows with it."""
    from importlib import import_module

    from django.apps import apps

    from dangvu.core import rules
    from dangvu.core.models import RuleSet
    from dangvu.organizations.models import OrgType

    if not OrgType.objects.exists():
        import_module("dangvu.organizations.migrations.0003_org_types").load(apps, None)
        import_module("dangvu.organizations.migrations.0006_issuer_code").codes(apps, None)
    if not RuleSet.objects.filter(domain="members.admission").exists():
        import_module("dangvu.core.migrations.0003_rules").load(apps, None)
    if "introducers" not in RuleSet.objects.filter(domain="members.admission").first().params:
        import_module("dangvu.admission.migrations.0002_indexes_and_rules").load(apps, None)
    if not RuleSet.objects.filter(domain="meetings.quality").exists():
        import_module("dangvu.meetings.migrations.0002_indexes_and_rules").load(apps, None)
    if not RuleSet.objects.filter(domain="meetings.bodies").exists():
        import_module("dangvu.meetings.migrations.0009_bodies").load(apps, None)
    if not RuleSet.objects.filter(domain="congresses.election").exists():
        import_module("dangvu.congresses.migrations.0002_rules").load(apps, None)
    if not RuleSet.objects.filter(domain="dues.rates").exists():
        import_module("dangvu.dues.migrations.0002_rules").load(apps, None)
    if not RuleSet.objects.filter(domain="stats.grassroots").exists():
        import_module("dangvu.stats.migrations.0002_grassroots_rules").load(apps, None)
    from dangvu.dossiers.models import Catalogue

    if not Catalogue.objects.exists():
        import_module("dangvu.dossiers.migrations.0002_indexes_and_defaults").load(apps, None)
    if not RuleSet.objects.filter(domain="evaluations.levels").exists():
        import_module("dangvu.evaluations.migrations.0002_rules").load(apps, None)
    if "discipline_cap_source" not in RuleSet.objects.filter(domain="evaluations.levels").first().params:
        import_module("dangvu.evaluations.migrations.0005_discipline_cap_sources").forward(apps, None)
    if not RuleSet.objects.filter(domain="inspection.discipline").exists():
        import_module("dangvu.inspection.migrations.0002_indexes_and_rules").load(apps, None)
    if not RuleSet.objects.filter(domain="documents.authority").exists():
        import_module("dangvu.documents.migrations.0004_indexes_and_rules").load(apps, None)
    from dangvu.documents.models import HandbookPage

    if not HandbookPage.objects.filter(organisation__isnull=True).exists():
        import_module("dangvu.documents.migrations.0008_handbook_starter").load(apps, None)
    from dangvu.core import workdays
    from dangvu.core.models import CalendarDay

    if not CalendarDay.objects.exists():
        import_module("dangvu.core.migrations.0008_calendar_day").seed(apps, None)
    rules.clear_cache()
    workdays.clear_cache()
