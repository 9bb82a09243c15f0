"""The cases of a subtree as Excel (the committee's list of sympathisers and admissions), as a background job:
read through the owner's scope when it runs; dates from the job, so a rerun gives the same file."""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, Font

from dangvu.core import xlsx
from dangvu.core.dates import fmt
from dangvu.jobs.registry import Output, register
from dangvu.organizations.selectors import org_get

from . import selectors as sel
from .models import StepKind

COLUMNS = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Chi bộ", "Giới thiệu",
           "Lớp nhận thức (ngày cấp)", "Tình trạng", "Nghị quyết chi bộ", "Quyết định kết nạp", "Lễ kết nạp",
           "Công nhận chính thức", "Bước tiếp theo", "Hạn", "Quá hạn")  # fmt: skip


def cases_xlsx(user, org, on: dt.date, progress=None) -> tuple[xlsx.Book, int]:
    wb = xlsx.workbook()
    ws = wb.sheet("Phát triển đảng viên")
    ws.append([f"DANH SÁCH QUẦN CHÚNG ƯU TÚ VÀ HỒ SƠ KẾT NẠP ĐẢNG — {org.name.upper()}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Đến ngày {fmt(on)}"])
    ws.append([])
    ws.append(list(COLUMNS))
    ws.style_last_row(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="center"))
    qs = sel.case_list(user, org, sel.Filters(state="all")).prefetch_related("steps")
    total = qs.count()
    if progress:
        progress(0, total)
    for i, c in enumerate(qs.iterator(chunk_size=1000), start=1):
        steps = {s.kind: s for s in c.steps.all()}

        def on_of(kind, steps=steps):
            s = steps.get(kind)
            return f"{s.number} ngày {fmt(s.done_on)}".strip() if s else ""

        ws.append([i, c.full_name, c.birth_date, c.get_sex_display(), c.ethnicity, c.citizen_id or "",
                   c.organisation.name, c.get_proposed_by_display(), c.course_on, c.get_stage_display(),
                   on_of(StepKind.CELL_RESOLUTION), on_of(StepKind.DECISION), on_of(StepKind.CEREMONY),
                   on_of(StepKind.RECOGNITION_DECISION), StepKind(c.next_step).label if c.next_step else "",
                   c.next_due, "quá hạn" if c.next_due and c.next_due < on else ""])  # fmt: skip
        if progress and i % 500 == 0:
            progress(i)
    ws.widths((5, 26, 11, 7, 8, 13, 28, 18, 12, 22, 18, 18, 18, 18, 26, 11, 8))
    return wb, total


@register("admission.export")
def export(job, progress) -> Output:
    org = org_get(job.owner, job.params["org"])
    on = dt.date.fromisoformat(job.params["on"])
    book, n = cases_xlsx(job.owner, org, on, progress)
    return Output.from_temp(xlsx.save_temp(book), f"phat-trien-dang-vien-{org.code}-{on:%Y%m%d}.xlsx", xlsx.XLSX, n)

