import datetime as dt

import pytest

from dangvu.accounts import services as asvc
from dangvu.members.models import Term
from tests.dossiers.conftest import pdf  # noqa: F401  (a PDF with a text layer)
from tests.members.conftest import add, people  # noqa: F401  (fixtures)


@pytest.fixture
def role(django_user_model, tree):
    """role(name, org_code) → a user holding that role on that organisation's subtree."""

    def _role(name, code="C1", username=None):
        u = django_user_model.objects.create_user(username or f"{name}-{code}".lower(), password="mat-khau-rat-dai-1")
        asvc.grant_create(user=u, organisation=tree[code], role=name, by=None)
        return u

    return _role


@pytest.fixture
def terms(tree):
    """C1's terms: 2020–2025 (to 30/9/2025) and 2025–2030 (from 01/10/2025)."""
    old = Term.objects.create(organisation=tree["C1"], name="2020–2025", starts_on=dt.date(2020, 10, 1),
                              ends_on=dt.date(2025, 9, 30))  # fmt: skip
    new = Term.objects.create(organisation=tree["C1"], name="2025–2030", starts_on=dt.date(2025, 10, 1))
    return old, new


def out(doc_type="KH", on=dt.date(2026, 3, 2), subject="Kế hoạch tổ chức hội nghị học tập nghị quyết", **kw):
    return {"doc_type": doc_type, "issued_on": on, "subject": subject, "body": "org", "signer": "Nguyễn Văn Đức",
            "recipients": "Các chi bộ trực thuộc; lưu VP", **kw}  # fmt: skip


def inc(on=dt.date(2026, 3, 2), **kw):
    return {"received_on": on, "sender": "Ban Tổ chức Tỉnh ủy", "their_number": "35-HD/BTCTU",
            "their_date": on - dt.timedelta(days=3), "doc_type": "HD",
            "subject": "Hướng dẫn đánh giá, xếp loại chất lượng năm 2026", **kw}  # fmt: skip
