"""The demo province's inspection and discipline: each commune's inspection commission with this year's programme
(cells and members to inspect or supervise; some done with a conclusion and recommendations, some late), a few
inspections on signs of violation, discipline cases at every state (decided by the cell, deferred, an appeal
answered by annulment with the restoration), notices from outside (one late) and denunciations (one overdue).
Through the services, so every record passes the checks a user's would.

`record_disciplines` writes the evaluations' demo disciplines (many, over two years) in bulk: records in force
with their CV lines, as the services would leave them."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.members.models import IN_REGISTER, EntryKind, Member, ProfileEntry, Status
from dangvu.organizations.models import Organisation, OrgKind

from . import services as svc
from .models import Body, Discipline, DisciplineState, Form, Gravity

FORM_LABEL = {Form.REPRIMAND: "Khiển trách", Form.WARNING: "Cảnh cáo"}


def record_disciplines(rows: list[tuple[Member, dt.date, str, str]]) -> int:
    """(member, announced on, form, number): discipline by the member's cell, in force, with its CV line."""
    entries = [ProfileEntry(member_id=m.pk, kind=EntryKind.DISCIPLINE, start=on, decision_number=number,
                            description=f"{FORM_LABEL.get(form, form)} (chi bộ {m.org.name if m.org_id else ''})")
               for m, on, form, number in rows]  # fmt: skip
    ProfileEntry.objects.bulk_create(entries)
    Discipline.objects.bulk_create([
        Discipline(organisation_id=m.org_id, org_path=m.org_path, body=Body.CELL, subject_member_id=m.pk,
                   subject_path=m.org_path, conduct="Vi phạm quy định về những điều đảng viên không được làm",
                   conduct_from=on - dt.timedelta(days=45), gravity=Gravity.REPRIMAND if form == Form.REPRIMAND
                   else Gravity.WARNING, state=DisciplineState.DECIDED, form=form, decided_on=on, announced_on=on,
                   votes_for=5, votes_base=6, hearing_on=on - dt.timedelta(days=7), number=number, cv_entry=e)
        for (m, on, form, number), e in zip(rows, entries, strict=True)
    ])  # fmt: skip
    return len(rows)


def _commissions() -> list[Organisation]:
    """The communes (the demo's commune committees since 1/7/2025) whose inspection commissions the demo shows,
    Khánh Yên first (the demo inspector's)."""
    return list(Organisation.objects.filter(type__code="xa", closed_on__isnull=True).select_related("type")
                .order_by("path")[:6])  # fmt: skip


def _cells(org: Organisation) -> list[Organisation]:
    return list(Organisation.objects.filter(path__startswith=org.path, type__kind=OrgKind.CELL, closed_on__isnull=True)
                .order_by("path"))  # fmt: skip


def _officials(org: Organisation) -> list[Member]:
    return list(Member.objects.filter(org=org, status=Status.OFFICIAL).select_related("org").order_by("pk"))


def seed_inspections(by, *, rng: random.Random) -> dict:
    now = today()
    year = now.year
    jan = dt.date(year, 1, 10)
    counts = {"inspection_items": 0, "inspections": 0, "discipline_cases": 0}
    with transaction.atomic():
        for n, commune in enumerate(_commissions()):
            cells = _cells(commune)
            if not cells:
                continue
            p = svc.programme_create(by=by, org=commune, data={
                "body": Body.COMMISSION, "year": year, "adopted_on": jan,
                "title": f"Chương trình kiểm tra, giám sát năm {year} của Ủy ban Kiểm tra {commune.name}"})  # fmt: skip
            for k, cell in enumerate(cells[:6]):
                members = _officials(cell)
                month = (2, 4, 6, 8, 10, 11)[k]
                start = dt.date(year, month, 1)
                due = dt.date(year, month + 1, 28)
                subject = {"subject_org": cell} if k % 2 == 0 or not members else {"subject_member": members[0]}
                item = svc.item_add(by=by, programme=p, data={
                    "activity": "inspection" if k % 2 == 0 else "supervision",
                    "method": "thematic" if k == 2 else "regular", **subject,
                    "content": rng.choice(["Việc chấp hành Điều lệ Đảng, chế độ sinh hoạt chi bộ",
                                           "Việc thu, nộp, quản lý đảng phí",
                                           "Việc thực hiện nhiệm vụ đảng viên và giữ mối liên hệ với nơi cư trú",
                                           "Việc thực hiện nghị quyết của chi bộ về phát triển kinh tế"]),
                    "starts_on": start, "due_on": due,
                    "carried_by": "Ủy ban Kiểm tra Đảng ủy, đồng chí Phó Chủ nhiệm"})  # fmt: skip
                counts["inspection_items"] += 1
                if due >= now - dt.timedelta(days=20) or k == 4:  # not due yet, or late on purpose
                    continue
                i = svc.inspection_open(by=by, org=commune, item=item, data={
                    "body": Body.COMMISSION, "decided_on": start, "ends_on": due,
                    "team": "Đồng chí Phó Chủ nhiệm UBKT (trưởng đoàn), một ủy viên UBKT"})  # fmt: skip
                svc.inspection_reports(by=by, inspection=i, data={
                    "self_report": "Báo cáo tự kiểm tra của đối tượng theo đề cương của đoàn.",
                    "self_report_on": start + dt.timedelta(days=10),
                    "result_report": "Đoàn đã làm việc, đối chiếu hồ sơ, sổ sách và báo cáo kết quả.",
                    "result_on": due - dt.timedelta(days=5)})  # fmt: skip
                violation = k == 2
                recs = [svc.RecommendationIn("Bổ sung biên bản sinh hoạt chi bộ còn thiếu", due + dt.timedelta(days=30))]
                if violation:
                    recs.append(svc.RecommendationIn("Kiểm điểm trách nhiệm tập thể chi ủy", due + dt.timedelta(days=45)))
                svc.inspection_conclude(by=by, inspection=i, recommendations=recs, data={
                    "concluded_on": due, "sent_on": due + dt.timedelta(days=2) if due + dt.timedelta(days=2) <= now
                    else due, "violation": violation,
                    "findings": "Ưu điểm: chấp hành tốt chế độ sinh hoạt. Khuyết điểm: một số biên bản ghi chưa đủ "
                                "nội dung." + (" Vi phạm: chưa thu nộp đảng phí đúng hạn." if violation else "")})  # fmt: skip
                rec = i.recommendations.order_by("pk").first()
                if k == 0 and rec.due_on <= now:
                    svc.recommendation_done(by=by, rec=rec, on=rec.due_on, note="Đã bổ sung đủ biên bản.")
                counts["inspections"] += 1
            counts["discipline_cases"] += _discipline_cases(by, rng, commune, cells, n, year, now)
        counts["notices"] = _notices(by)
        counts["complaints"] = _complaints(by)
    return counts


def _discipline_cases(by, rng, commune, cells, n, year, now) -> int:
    """One case decided by a cell; one deferred (only in the first commune); one annulled on appeal (second)."""
    made = 0
    for cell in cells[1:3]:
        members = [m for m in _officials(cell) if m.status in IN_REGISTER]
        if len(members) < 3:
            continue
        m = members[-1]
        on = dt.date(year, 3, 5) + dt.timedelta(days=20 * n)
        if on > now:
            continue
        try:
            d = svc.discipline_open(by=by, org=cell, data={
                "body": Body.CELL, "subject_member": m, "conduct": "Không tham gia sinh hoạt chi bộ 2 kỳ liên tiếp "
                "không có lý do; vi phạm quy định về những điều đảng viên không được làm",
                "conduct_from": on - dt.timedelta(days=60), "gravity": Gravity.REPRIMAND})  # fmt: skip
            base = len(members)
            svc.discipline_decide(by=by, discipline=d, x=svc.Decision(
                form=Form.REPRIMAND, decided_on=on, announced_on=on, votes_for=base - 1, votes_base=base,
                hearing_on=on - dt.timedelta(days=5)))  # fmt: skip
            made += 1
            if n == 1 and cell == cells[1]:
                a = svc.appeal_file(by=by, discipline=d, filed_on=on + dt.timedelta(days=12),
                                    content="Đảng viên cho rằng đã có lý do vắng mặt (ốm, có giấy viện).")
                svc.appeal_answer(by=by, appeal=a, x=svc.Answer(
                    outcome="annulled", decided_on=on + dt.timedelta(days=40), decided_by=f"Ủy ban Kiểm tra {commune.name}",
                    number=f"{rng.randint(10, 40)}-QĐ/UBKTĐU", apology_on=on + dt.timedelta(days=50),
                    note="Có giấy ra viện: vắng có lý do."))  # fmt: skip
        except DomainError:
            continue
        if n == 0 and cell == cells[1] and len(members) > 3:
            d = svc.discipline_open(by=by, org=cell, data={
                "body": Body.CELL, "subject_member": members[-2], "conduct": "Vi phạm quy định về đóng đảng phí",
                "conduct_from": now - dt.timedelta(days=40), "gravity": Gravity.REPRIMAND})  # fmt: skip
            svc.discipline_defer(by=by, discipline=d, reason="child", until=now + dt.timedelta(days=120))
            made += 1
    return made


def _notices(by) -> int:
    made = 0
    members = list(Member.objects.filter(status=Status.OFFICIAL).select_related("org").order_by("pk")[5:7])
    for k, m in enumerate(members):
        decided = today() - dt.timedelta(days=60 + 30 * k)
        svc.notice_add(by=by, member=m, data={
            "source": "state" if k == 0 else "mass", "source_name": "Ủy ban nhân dân xã" if k == 0 else "Hội Nông dân xã",
            "measure": "Khiển trách (kỷ luật hành chính)" if k == 0 else "Cảnh cáo (kỷ luật hội viên)",
            "decided_on": decided, "received_on": decided + dt.timedelta(days=3 if k == 0 else 12),
            "reference": f"{12 + k}/QĐ-UBND" if k == 0 else "05/QĐ-HND"})  # fmt: skip
        made += 1
    return made


def _complaints(by) -> int:
    made = 0
    for k, org in enumerate(_commissions()[:2]):
        c = svc.complaint_add(by=by, org=org, data={
            "kind": "denunciation" if k == 0 else "complaint", "received_on": today() - dt.timedelta(days=120 - 50 * k),
            "filer": "Người dân thôn (giấu tên theo đề nghị)", "filer_contact": "0912 000 111",
            "content": "Phản ánh việc sử dụng đất sai mục đích của một đảng viên." if k == 0
            else "Khiếu nại kết quả xếp loại đảng viên năm trước."})  # fmt: skip
        if k == 1:
            svc.complaint_close(by=by, complaint=c, on=today() - dt.timedelta(days=20),
                                outcome="Đã xem xét lại, giữ nguyên kết quả; trả lời người khiếu nại bằng văn bản.")
        made += 1
    return made
