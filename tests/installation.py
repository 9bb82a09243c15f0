"""A small real installation for the tests that run the app as processes of its own (tests/jobs/scenario.py,
tests/core/backup_scenario.py): migrated, an administrator, a province > commune > village cell established
through the decision service, and members imported into the cell through the importer from the rows given."""

import datetime as dt
import tempfile

HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức"]


def build(rows: list[list], header: list[str] = HEADER):
    """(administrator, cell) after migrating and importing `rows` (under `header`) into the cell."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from openpyxl import Workbook

    from dangvu.members.importer import import_members
    from dangvu.organizations import services as org_svc
    from dangvu.organizations.models import OrgType

    call_command("migrate", verbosity=0)
    by = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-rat-dai-1")
    types = {t.code: t for t in OrgType.objects.all()}
    decision = org_svc.Decision(number="Số 01-QĐ/TU", effective_on=dt.date(2020, 1, 1))
    parent = None
    for code, name, kind in (("P", "Đảng bộ tỉnh Thử", "tinh"), ("X", "Đảng bộ xã Thử", "xa"),
                             ("X-T", "Chi bộ thôn Thử", "cbtt-thon")):  # fmt: skip
        parent = org_svc.org_establish(
            by=by, spec=org_svc.NewOrg(code, name, types[kind], parent), decision=decision
        )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for row in rows:
        ws.append(row)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        wb.save(f.name)
        report = import_members(by=by, org=parent, source=f.name)
    assert report.written and report.created == len(rows), [p.vi for p in report.problems[:3]]
    return by, parent
