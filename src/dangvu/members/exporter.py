"""Excel exports: the register as Mẫu 7-HSĐV, and the current filtered list.

Both use openpyxl's write-only mode (rows go to a temporary file as they are produced, so memory stays flat
whatever the size) and read the database in chunks; the view streams the finished file from disk.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from openpyxl.styles import Alignment, Border, Font, Side

from dangvu.accounts.selectors import scope_q
from dangvu.core import xlsx
from dangvu.core.dates import fmt, in_force, party_date, today
from dangvu.organizations.models import Organisation

from .models import Member, Membership, MembershipKind, Reason, Status, Transfer, TransferState

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = Font(name="Times New Roman", size=12)
BOLD = Font(name="Times New Roman", size=12, bold=True)
TITLE = Font(name="Times New Roman", size=14, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

REGISTER_COLUMNS = [
    ("Số TT", 6),
    ("Họ và tên\n(tên khai sinh)", 26),
    ("Giới tính, dân tộc, tôn giáo", 16),
    ("Quê quán", 24),
    ("Trình độ: giáo dục phổ thông, lý luận chính trị, chuyên môn, ngoại ngữ", 24),
    ("Nghề nghiệp khi vào Đảng, hiện nay", 20),
    ("Ngày vào Đảng, ngày chính thức", 14),
    ("Số thẻ, số lý lịch, số huy hiệu Đảng", 14),
    ("Quân đội, công an, nghỉ hưu", 11),
    ("Chuyển đi: ngày, nơi đến", 20),
    ("Chuyển đến: ngày, nơi đi", 20),
    ("Ngày từ trần", 12),
    ("Ngày và hình thức ra khỏi Đảng", 16),
    ("Ghi chú", 16),
]
LEFT_REASONS = (Reason.TRANSFER_OUT, Reason.STRUCK_OFF, Reason.EXPELLED, Reason.RESIGNED, Reason.DECEASED)


def _cell(ws, value, font=FONT, align=WRAP, border=BOX):
    return xlsx.cell(ws, value, font=font, alignment=align, border=border or None)


def _register_rows(user, org: Organisation, on: dt.date):
    """Memberships of the subtree in force on `on`, plus those that ended this year by the member leaving."""
    year_start = dt.date(on.year, 1, 1)
    left_this_year = Q(
        valid_from__lte=on, valid_to__gte=year_start, valid_to__lte=on, end_reason__in=LEFT_REASONS
    )
    return (
        Membership.objects.filter(organisation__path__startswith=org.path, kind=MembershipKind.OFFICIAL)
        .filter(in_force(on) | left_this_year)
        .filter(scope_q(user, "member__org_path") | scope_q(user, "organisation__path"))
        .select_related("member", "organisation")
        .prefetch_related(
            Prefetch(
                "member__transfers",
                queryset=Transfer.objects.exclude(state=TransferState.CANCELLED).select_related(
                    "from_org", "to_org"
                ),
            )
        )
        .order_by("organisation__sort_key", "member__sort_key", "pk")
    )


def _dest(t: Transfer) -> str:
    return t.to_org.name if t.to_org_id else t.to_text


def _origin(t: Transfer) -> str:
    return t.from_org.name if t.from_org_id else t.from_text


def register_row(no: int, ms: Membership) -> list:
    m: Member = ms.member
    edu = "; ".join(
        x
        for x in (
            f"GDPT: {m.general_education}" if m.general_education else "",
            f"LLCT: {m.get_political_theory_display()}" if m.political_theory else "",
            f"CM: {m.get_qualification_display()}{' ' + m.specialty if m.specialty else ''}"
            if m.qualification
            else "",
            f"NN: {m.foreign_language}" if m.foreign_language else "",
        )
        if x
    )
    transfers = list(m.transfers.all())
    out = next(
        (
            t
            for t in transfers
            if t.from_org_id == ms.organisation_id and ms.end_reason == Reason.TRANSFER_OUT
        ),
        None,
    )
    came = next(
        (t for t in transfers if t.to_org_id == ms.organisation_id and ms.start_reason == Reason.TRANSFER_IN),
        None,
    )
    left = ms.end_reason in (Reason.STRUCK_OFF, Reason.EXPELLED, Reason.RESIGNED)
    numbers = [m.card_number or "", m.cv_number or "", m.badge_number or ""]
    while numbers and not numbers[-1]:
        numbers.pop()
    occupations = " / ".join(x or "–" for x in (m.occupation_before, m.occupation)) if (
        m.occupation_before or m.occupation) else ""  # fmt: skip
    # every combined cell keeps its parts in place ("–" for a missing one), so the importer reads it back
    return [
        no,
        m.full_name + (f"\n({m.birth_name})" if m.birth_name else ""),
        ", ".join((m.get_sex_display() or "–", m.ethnicity or "–", m.religion or "Không")),
        m.home_town,
        edu,
        occupations,
        fmt(m.admitted_on) + ("\n" + fmt(m.official_on) if m.official_on else ""),
        "\n".join(x or "–" for x in numbers),
        m.get_forces_display() if m.forces else "",
        f"{fmt(ms.valid_to)}\n{_dest(out)}" if out else "",
        f"{fmt(came.received_on)}\n{_origin(came)}" if came and came.received_on else "",
        fmt(ms.valid_to) if ms.end_reason == Reason.DECEASED else "",
        f"{fmt(ms.valid_to)}\n{ms.get_end_reason_display()}" if left else "",
        m.notes[:200]
        if m.notes
        else ("Dự bị" if m.status == Status.PROBATIONARY and not ms.valid_to else ""),
    ]


def _signer(org: Organisation, on: dt.date) -> tuple[list[str], str]:
    """Who signs for the organisation on `on`: "T/M CHI BỘ"/"T/M ĐẢNG ỦY", "BÍ THƯ", and the secretary's name."""
    from django.db.models import Q

    from .models import Seat

    seat = (Seat.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), organisation=org, role="secretary",
                                valid_from__lte=on).select_related("member").first())  # fmt: skip
    body = "CHI BỘ" if org.type.kind == "cell" else "ĐẢNG ỦY"
    return [f"T/M {body}", "BÍ THƯ"], seat.member.full_name if seat else ""


def _head_and_foot(org: Organisation):
    from dangvu.organizations.selectors import place_name

    superior = org.parent.name.upper() if org.parent_id else ""
    return superior, place_name(org)


def register_xlsx(user, org: Organisation, on: dt.date, *, printed: dt.date | None = None, progress=None):
    """Mẫu 7-HSĐV for `org` and its subtree on `on`, set to print: A4 landscape with every column across one
    page, the merged title block, the header and column numbers repeated on every page, rows as tall as their
    text, page numbers, and the signature block. Returns (open temporary file, number of rows)."""
    wb = xlsx.workbook(write_only=True)
    ws = wb.sheet("Mẫu 7-HSĐV")
    ws.widths([w for _, w in REGISTER_COLUMNS])
    ncols = len(REGISTER_COLUMNS)
    superior, place = _head_and_foot(org)
    xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                     right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True), ("Mẫu 7-HSĐV", False, False)],
                     title="SỔ DANH SÁCH ĐẢNG VIÊN", subtitle=f"(tại ngày {fmt(on)})")  # fmt: skip
    first = ws.append([_cell(ws, h, BOLD, CENTER) for h, _ in REGISTER_COLUMNS], fit=True)
    last = ws.append([_cell(ws, f"({i})", FONT, CENTER) for i in range(1, ncols + 1)])
    ws.repeat_rows(first, last)
    rows = _register_rows(user, org, on)
    total = rows.count() if progress else None
    n, seen = 0, set()
    for i, ms in enumerate(rows.iterator(chunk_size=2000), 1):
        if progress and i % 200 == 0:
            progress(i, total)
        if ms.member_id in seen:
            continue
        seen.add(ms.member_id)
        n += 1
        ws.append([_cell(ws, v) for v in register_row(n, ms)], fit=True)
    ws.append([])
    ws.append([_cell(ws, f"Tổng số: {n} dòng.", FONT, border=None)])
    lines, name = _signer(org, on)
    xlsx.signature(ws, ncols, place_date=party_date(place, printed or today()), left_title="NGƯỜI LẬP",
                   right_lines=lines, right_name=name)  # fmt: skip
    return xlsx.save_temp(wb), n


LIST_COLUMNS = [
    ("STT", 6, None),
    ("Họ và tên", 26, lambda m: m.full_name),
    ("Giới tính", 9, lambda m: m.get_sex_display()),
    ("Ngày sinh", 12, lambda m: m.birth_date),
    ("Dân tộc", 10, lambda m: m.ethnicity),
    ("Tôn giáo", 10, lambda m: m.religion),
    ("Quê quán", 24, lambda m: m.home_town),
    ("Số CCCD", 15, lambda m: m.citizen_id or ""),
    ("Ngày vào Đảng", 12, lambda m: m.admitted_on),
    ("Ngày chính thức", 12, lambda m: m.official_on),
    ("Số thẻ", 12, lambda m: m.card_number or ""),
    ("Giáo dục phổ thông", 9, lambda m: m.general_education),
    ("Trình độ chuyên môn", 12, lambda m: m.get_qualification_display() if m.qualification else ""),
    ("Lý luận chính trị", 12, lambda m: m.get_political_theory_display() if m.political_theory else ""),
    ("Nghề nghiệp", 18, lambda m: m.occupation),
    ("Chức vụ", 18, lambda m: m.position),
    ("Tổ chức đảng", 26, lambda m: m.org.name if m.org_id else ""),
    ("Trạng thái", 16, lambda m: m.get_status_display()),
]


def list_xlsx(members_qs, title: str, org: Organisation | None = None, *, printed: dt.date | None = None,
              progress=None):
    """The filtered list, one member per row, with headers the importer recognises (a round trip works); set to
    print like the register (A4 landscape across one page width, header repeated, page numbers, signatures)."""
    wb = xlsx.workbook(write_only=True)
    ws = wb.sheet("Danh sách")
    ws.widths([w for _, w, _ in LIST_COLUMNS])
    ncols = len(LIST_COLUMNS)
    if org is not None:
        superior, place = _head_and_foot(org)
        xlsx.title_block(ws, ncols, left=[(superior, False), (org.name.upper(), True), ("*", False)],
                         right=[("ĐẢNG CỘNG SẢN VIỆT NAM", True, True)], title=title.upper())  # fmt: skip
    else:
        n = ws.append([_cell(ws, title, TITLE, CENTER, border=None)])
        ws.merge(n, 1, ncols)
    head = ws.append([_cell(ws, h, BOLD, CENTER) for h, _, _ in LIST_COLUMNS], fit=True)
    ws.repeat_rows(head, head)
    total = members_qs.count() if progress else None
    n = 0
    for m in members_qs.iterator(chunk_size=2000):
        n += 1
        if progress and n % 200 == 0:
            progress(n, total)
        ws.append([_cell(ws, n if get is None else get(m)) for _, _, get in LIST_COLUMNS], fit=True)
    if org is not None:
        lines, name = _signer(org, printed or today())
        xlsx.signature(ws, ncols, place_date=party_date(place, printed or today()), left_title="NGƯỜI LẬP",
                       right_lines=lines, right_name=name)  # fmt: skip
    return xlsx.save_temp(wb), n


def reconcile_xlsx(org: Organisation, cmp, file_name: str):
    """The comparison as Excel: a summary, then the differences, the rows only in the file and the members
    only in Dangvu (one sheet each)."""
    from .reconcile import FIELDS, display

    wb = xlsx.workbook()
    ws = wb.sheet("Tổng hợp")
    ws.append([xlsx.cell(ws, f"ĐỐI CHIẾU DANH SÁCH ĐẢNG VIÊN – {org.name.upper()}", font=TITLE)])
    ws.append([f"Tệp đối chiếu: {file_name}; danh sách Đảng vụ tại ngày {fmt(cmp.on)}"])
    ws.append([])
    c = cmp.counts
    for label, n in (("Trùng khớp", c["matched"]), ("Trong đó có khác biệt", c["differing"]),
                     ("Số trường khác nhau", c["differences"]), ("Chỉ có trong tệp", c["only_in_file"]),
                     ("Chỉ có trong Đảng vụ", c["only_in_dangvu"]), ("Dòng không đọc được", c["unreadable"])):  # fmt: skip
        ws.append([label, n])
    ws.widths((36, 12))
    ws = wb.sheet("Khác nhau")
    ws.append([xlsx.cell(ws, h, font=BOLD) for h in ("Họ và tên (Đảng vụ)", "Dòng trong tệp", "Khớp theo",
                                                      "Trường", "Đảng vụ", "Tệp")])  # fmt: skip
    for p in cmp.differing:
        for d in p.differences:
            ws.append([p.member.full_name, p.row, p.matched_by, d.label, display(d.field, d.ours),
                       display(d.field, d.theirs)])  # fmt: skip
    ws.widths((28, 10, 16, 20, 28, 28))
    ws = wb.sheet("Chỉ có trong tệp")
    ws.append([xlsx.cell(ws, h, font=BOLD) for h in ("Dòng", *FIELDS.values())])
    for row, data in cmp.only_in_file:
        ws.append([row, *(display(f, data.get(f)) if data.get(f) not in (None, "") else "" for f in FIELDS)])
    ws.widths((8, 28, 10, 12))
    ws = wb.sheet("Chỉ có trong Đảng vụ")
    ws.append([xlsx.cell(ws, h, font=BOLD) for h in FIELDS.values()])
    for m in cmp.only_in_dangvu:
        ws.append([display(f, getattr(m, f)) if getattr(m, f) not in (None, "") else "" for f in FIELDS])
    ws.widths((28, 10, 12))
    return xlsx.save_temp(wb)
