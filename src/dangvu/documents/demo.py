"""The demo province's registers: a year of documents issued by the provincial committee and the first communes
(plans, reports, official letters, notices, decisions; one voided), and of documents received from the province's
bodies and the commune's People's Committee (some classified, registered without their file; some past their
deadline, not yet handled). Through the services, so every entry passes the checks a user's would."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dangvu.core.dates import add_months, today
from dangvu.dossiers.samples import pdf_with_text
from dangvu.organizations.models import Organisation

from . import services as svc
from .models import Body

OUT = [
    ("KH", "Kế hoạch tổ chức hội nghị học tập, quán triệt nghị quyết của Tỉnh ủy"),
    ("BC", "Báo cáo kết quả công tác xây dựng Đảng tháng {m}"),
    ("CV", "Về việc đôn đốc thu, nộp đảng phí quý"),
    ("TB", "Thông báo kết luận của Ban Thường vụ tại hội nghị tháng {m}"),
    ("QĐ", "Quyết định chuẩn y kết quả bầu cử chi ủy chi bộ"),
    ("KH", "Kế hoạch kiểm tra, giám sát việc sinh hoạt chi bộ định kỳ"),
    ("CV", "Về việc chuẩn bị đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên"),
    ("BC", "Báo cáo sơ kết công tác phát triển đảng viên"),
]
IN = [
    ("Văn phòng Tỉnh ủy", "CV", "Về việc thực hiện chế độ báo cáo định kỳ", 10),
    ("Ban Tổ chức Tỉnh ủy", "HD", "Hướng dẫn đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên", 20),
    ("Ủy ban Kiểm tra Tỉnh ủy", "KH", "Kế hoạch giám sát chuyên đề việc thu, nộp đảng phí", 15),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "HD", "Hướng dẫn tuyên truyền kỷ niệm ngày thành lập Đảng", 0),
    ("Ủy ban nhân dân xã", "", "Báo cáo tình hình kinh tế - xã hội tháng {m}", 0),
    ("Tỉnh ủy", "CT", "Chỉ thị về lãnh đạo đại hội chi bộ nhiệm kỳ mới", 30),
]
SIGNERS = ["Nguyễn Văn Đức", "Trần Thị Lan", "Hoàng Văn Bình", "Lò Thị Hoa"]


def _issuers() -> list[Organisation]:
    root = Organisation.objects.filter(parent__isnull=True, closed_on__isnull=True).select_related("type").first()
    communes = list(Organisation.objects.filter(type__code="xa", closed_on__isnull=True).select_related("type")
                    .order_by("path")[:5])  # fmt: skip
    return ([root] if root else []) + communes


def seed_documents(by, *, rng: random.Random) -> dict:
    now = today()
    start = add_months(now.replace(day=1), -11)
    counts = {"outgoing": 0, "incoming": 0}
    with transaction.atomic():
        for org in _issuers():
            floor = max(start, org.established_on)
            month = floor.replace(day=1)
            while month <= now:
                for k in range(rng.randint(3, 5)):
                    on = month + dt.timedelta(days=rng.randint(0, 27))
                    if on > now or on < floor:
                        continue
                    doc_type, subject = OUT[(k + month.month) % len(OUT)]
                    body = Body.STANDING if doc_type in ("TB", "QĐ") else Body.ORGANISATION
                    scan = None
                    if k == 0:
                        scan = SimpleUploadedFile("ban-ky.pdf", pdf_with_text([f"{subject} thang {month.month}"]))
                    svc.outgoing_add(by=by, org=org, upload=scan, data={
                        "doc_type": doc_type, "body": body, "issued_on": on, "subject": subject.format(m=month.month),
                        "signer": rng.choice(SIGNERS), "recipients": "Các chi bộ trực thuộc; Lưu Văn phòng"})  # fmt: skip
                    counts["outgoing"] += 1
                for k in range(rng.randint(3, 6)):
                    on = month + dt.timedelta(days=rng.randint(0, 27))
                    if on > now or on < floor:
                        continue
                    sender, doc_type, subject, days = IN[(k + month.month) % len(IN)]
                    secret = k == 3 and month.month % 4 == 0
                    svc.incoming_add(by=by, org=org, data={
                        "received_on": on, "sender": sender, "their_number": f"{rng.randint(10, 400)}-"
                        f"{doc_type or 'BC'}/{'TU' if 'Tỉnh' in sender else 'UBND'}", "their_date": on - dt.timedelta(days=2),
                        "doc_type": doc_type, "subject": subject.format(m=month.month),
                        "classification": "mat" if secret else "", "handler": rng.choice(SIGNERS) if days else "",
                        "due_on": on + dt.timedelta(days=days) if days else None})  # fmt: skip
                    counts["incoming"] += 1
                month = add_months(month, 1)
        # an office's year: most of what was due has been handled, a few are late
        from .models import Incoming

        for doc in Incoming.objects.filter(due_on__lt=now - dt.timedelta(days=3)).order_by("pk"):
            if rng.random() < 0.9:
                svc.incoming_handle(by=by, doc=doc, data={"status": "done", "handler": doc.handler,
                                                          "due_on": doc.due_on, "outcome": "Đã tham mưu, triển khai"})  # fmt: skip
        first = Organisation.objects.filter(pk__in=[o.pk for o in _issuers()[1:2]]).first()
        if first is not None:
            from .models import Outgoing

            doc = Outgoing.objects.filter(organisation=first, origin="registry", doc_type="CV").order_by("pk").first()
            if doc is not None:
                svc.outgoing_void(by=by, doc=doc, reason="Ban hành nhầm nơi nhận; thay bằng công văn khác")
        counts["dispatches"] = _distribute(by, rng, now)
        _handbook_and_templates(by)
    return counts


def _handbook_and_templates(by) -> None:
    """The first commune writes its own page for cell meetings (its cells read it) and keeps a template for its
    reports."""
    import io

    from docx import Document

    from . import handbook

    communes = _issuers()[1:2]
    if not communes:
        return
    commune = communes[0]
    handbook.save(by=by, org=commune, slug="sinh-hoat-chi-bo", title=f"Sinh hoạt chi bộ ở {commune.name}",
                  body="## Lịch chung\n\n1. Chi ủy họp trước ngày 25 hằng tháng.\n2. Chi bộ sinh hoạt từ ngày 1 đến "
                       "ngày 5; gửi thông báo tới cấp ủy viên theo dõi.\n3. Báo cáo tháng nộp trước ngày 5 tháng sau "
                       "qua mục **Văn bản → Nhận từ cấp trên**.", base_version=None, note="Áp dụng toàn đảng bộ")  # fmt: skip
    d = Document()
    for line in ("{{ superior }}", "{{ issuer }}", "{{ number }}", "{{ place_date }}", "{{ type_name }}",
                 "{{ subject }}", "{% for p in body %}{{ p }}", "{% endfor %}", "{{ sign_for }}", "{{ sign_title }}",
                 "{{ signer }}"):  # fmt: skip
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    svc.template_upload(by=by, org=commune, doc_type="BC", name="Mẫu báo cáo của đảng bộ",
                        upload=SimpleUploadedFile("mau-bao-cao.docx", buf.getvalue()))


def _distribute(by, rng: random.Random, now: dt.date) -> int:
    """Each of the first communes sends its cells a plan, a request for a report answered by most (some late, a
    few not at all), and the request for last month's report; the requests are dated back as if sent weeks ago."""
    from django.utils import timezone

    from .models import Delivery, Dispatch, Outgoing

    n = 0
    for commune in _issuers()[1:4]:
        plan = Outgoing.objects.filter(organisation=commune, doc_type="KH", status="issued").order_by("-pk").first()
        svc.dispatch_send(by=by, org=commune, data={
            "kind": "document", "title": plan.subject if plan else "Kế hoạch công tác tháng", "outgoing": plan,
            "scope": "children", "body": "Đề nghị các chi bộ triển khai thực hiện."})  # fmt: skip
        ask = svc.dispatch_send(by=by, org=commune, data={
            "kind": "request", "title": "Báo cáo kết quả học tập, quán triệt nghị quyết", "scope": "children",
            "body": "Số đảng viên tham gia, tỷ lệ; bài thu hoạch; kiến nghị.", "due_on": now + dt.timedelta(days=1)})  # fmt: skip
        sent_on, due = now - dt.timedelta(days=24), now - dt.timedelta(days=10)
        Dispatch.objects.filter(pk=ask.pk).update(sent_on=sent_on, due_on=due)
        for x in Delivery.objects.filter(dispatch=ask).select_related("organisation", "dispatch").order_by("org_path"):
            r = rng.random()
            if r < 0.15:
                continue  # no answer yet: late
            # the cells' answers as their secretaries wrote them (the seeding user answers for no cell)
            day = due - dt.timedelta(days=rng.randint(1, 8)) if r < 0.8 else due + dt.timedelta(days=rng.randint(1, 6))
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
            Delivery.objects.filter(pk=x.pk).update(answered_at=at, read_at=at, answer=(
                f"{x.organisation.name}: {rng.randint(80, 100)}% đảng viên tham gia học tập; 100% có bài thu hoạch."))
        last = now.replace(day=1) - dt.timedelta(days=1)
        monthly = svc.dispatch_send(by=by, org=commune, data={
            "kind": "monthly", "title": f"Báo cáo tháng {last:%m/%Y} của các chi bộ", "month": last.replace(day=1),
            "scope": "subtree", "due_on": now + dt.timedelta(days=1)})  # fmt: skip
        Dispatch.objects.filter(pk=monthly.pk).update(sent_on=last.replace(day=25), due_on=now.replace(day=5)
                                                      if now.day > 5 else now)  # fmt: skip
        n += 3
    return n
