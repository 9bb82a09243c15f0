
import pytest
from openpyxl import load_workbook

from dangvu.core.dates import today
from dangvu.members.models import Member
from dangvu.stats import exporter
from dangvu.stats import selectors as sel
from tests.members.conftest import add, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_stats_xlsx_and_page_escape_free_text(client, admin_user, tree, people):  # noqa: F811
    Member.objects.filter(pk=people["duc"].pk).update(occupation='=HYPERLINK("http://x","y")',
                                                      ethnicity="<script>alert(1)</script>")
    f = sel.figures(admin_user, tree["P"], today())
    wb = load_workbook(exporter.statistics_xlsx(f, None, "không có"))
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    client.force_login(admin_user)
    html = client.get("/stats/?org=P").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    from dangvu.organizations.models import Organisation
    Organisation.objects.filter(code="C1").update(name="<img src=x onerror=alert(1)>")
    html = client.get("/stats/?org=D").content.decode() + client.get("/dues/?org=D&period=2026-03").content.decode()
    assert "<img src=x" not in html
