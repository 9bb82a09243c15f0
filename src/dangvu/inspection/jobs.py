"""The year's report of inspection, supervision and discipline of a subtree as Excel, as a background job: the
figures per branch (the same selector as the page), discipline by form and by the deciding body's level, and the
lists behind them. Read through the owner's confidential scope when it runs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from openpyxl.styles import Alignment, Font

from dangvu.core import xlsx
from dangvu.core.dates import fmt, today
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import rules as ir
from . import selectors as sel
from .models import IN_FORCE, Form

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center")
LEVELS = {"cell": "Chi bộ", "grassroots": "Đảng ủy cơ sở", "superior": "Cấp trên cơ sở trở lên"}


def report_xlsx(user, org, year: int, progress=None) -> tuple[xlsx.Book, int]:
    ov = sel.overview(user, org, year)
    wb = xlsx.workbook()
    ws = wb.sheet("Tổng hợp")
    ws.append([f"BÁO CÁO KẾT QUẢ KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT NĂM {year} — {org.name.upper()}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    forms = sel.FORMS_SHOWN
    ws.append(["Đơn vị", "Nội dung trong chương trình", "Đã hoàn thành", "Quá hạn", "Kiểm tra", "Giám sát",
               "Kết luận có vi phạm", "Kiến nghị chưa thực hiện", "Kiến nghị quá hạn",
               *[f"Kỷ luật: {Form(f).label.lower()}" for f in forms]])  # fmt: skip
    ws.style_last_row(font=BOLD, alignment=WRAP)
    for r in [*ov.branches, ov.total]:
        name = "Tổng số" if r is ov.total else (r.org.name if r.org else "")
        ws.append([name, r.items, r.items_done, r.items_late, r.inspections, r.supervisions, r.violations,
                   r.recs_open, r.recs_late, *[r.disciplined.get(f, 0) for f in forms]])  # fmt: skip
    ws.style_last_row(font=BOLD)
    ws.widths((34, 12, 11, 9, 9, 9, 11, 12, 11, 11, 11, 11, 11, 11))
    ws.append([])
    ws.append(["Kỷ luật theo cấp quyết định", *[Form(f).label for f in forms]])
    ws.style_last_row(font=BOLD)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    disc = sel.disciplines(user, org).filter(state__in=IN_FORCE, announced_on__range=(start, end))
    by_level: dict[str, dict[str, int]] = {}
    for d in disc.select_related("organisation__type"):
        lv = ir.level_of(d.organisation)
        by_level.setdefault(lv, {})[d.form] = by_level.setdefault(lv, {}).get(d.form, 0) + 1
    for lv, label in LEVELS.items():
        ws.append([label, *[by_level.get(lv, {}).get(f, 0) for f in forms]])
    members = disc.filter(subject_member__isnull=False).values("form").annotate(n=Count("id"))
    ws.append(["Trong đó đảng viên", *[next((x["n"] for x in members if x["form"] == f), 0) for f in forms]])

    ls = wb.sheet("Kỷ luật")
    ls.append(["STT", "Đối tượng", "Thuộc", "Hình thức", "Cơ quan quyết định", "Số quyết định", "Ngày hiệu lực",
               "Nội dung vi phạm", "Tình trạng"])  # fmt: skip
    ls.style_last_row(font=BOLD, alignment=WRAP)
    n = 0
    all_disc = sel.disciplines(user, org).filter(announced_on__range=(start, end))
    for n, d in enumerate(all_disc.select_related("organisation", "subject_member__org"), start=1):
        where = d.subject_member.org.name if d.subject_member_id and d.subject_member.org_id else ""
        ls.append([n, d.subject_label, where, d.get_form_display(), f"{d.get_body_display()} {d.organisation.name}",
                   d.number, d.announced_on, d.conduct, d.get_state_display()])  # fmt: skip
    ls.widths((5, 26, 26, 12, 30, 16, 12, 40, 16))
    ins = wb.sheet("Kiểm tra, giám sát")
    ins.append(["STT", "Hoạt động", "Hình thức", "Đối tượng", "Cơ quan tiến hành", "Quyết định", "Ngày",
                "Kết luận", "Ngày kết luận", "Có vi phạm"])  # fmt: skip
    ins.style_last_row(font=BOLD, alignment=WRAP)
    rows = sel.inspections(user, org).filter(decided_on__range=(start, end))
    i = 0
    for i, x in enumerate(rows, start=1):
        ins.append([i, x.get_activity_display(), x.get_method_display(), x.subject_label,
                    f"{x.get_body_display()} {x.organisation.name}", x.decision_number, x.decided_on,
                    x.conclusion_number, x.concluded_on, "có" if x.violation else ""])  # fmt: skip
    ins.widths((5, 10, 16, 28, 30, 16, 12, 16, 12, 10))
    ws.append([])
    ws.append([f"Số liệu đến ngày {fmt(today())}; kỷ luật tính theo ngày công bố (có hiệu lực)."])
    return wb, n + i


@register("inspection.report")
def report(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    year = int(job.params["year"])
    if not sel.may_read(job.owner, org):
        from dangvu.core.errors import NotFound

        raise NotFound(org.code)
    book, n = report_xlsx(job.owner, org, year, progress)
    return Output.from_temp(xlsx.save_temp(book), f"kiem-tra-ky-luat-{org.code}-{year}.xlsx", xlsx.XLSX, n)
