"""The minutes and the resolution of a meeting as .docx, from the repository's templates (docx/) or the
nearest template uploaded by an organisation above the cell (DocTemplate), filled by docxtpl."""

from __future__ import annotations

import hashlib

from django.db.models import Q
from django.http import HttpResponse

from dangvu.core import audit, templating
from dangvu.core.dates import day_month
from dangvu.core.errors import Conflict
from dangvu.core.tree import ancestor_paths
from dangvu.members.models import Seat, SeatRole
from dangvu.organizations.models import Organisation
from dangvu.organizations.selectors import place_name

from .docx_build import DIR, SCHEMA
from .models import DocTemplate, DocType, Meeting, Presence, Rank, Standing, State, issuer_code

CONTEXT_HELP = (
    "superior, issuer, number, place, day, month, year, date, subject, venue, started, ended, chair, "
    "chair_title, minute_taker, secretary, guests, collective, collective_upper, on_behalf, signer_title, a.summoned, a.official, a.probationary, a.exempt, a.away, "
    "a.expected, a.present, a.excused, a.absent, a.rate, a.guests_present, excused_list (name, reason), "
    "absent_list (name), agenda, summary, conclusion (lines), speakers (name, opinion), "
    "votes (subject, for, against, abstain, base, result)"
)


def locality(org: Organisation) -> str:
    """The place name for the date line (organizations.selectors.place_name)."""
    return place_name(org)


def _lines(text: str) -> list[str]:
    return [x.strip() for x in (text or "").splitlines() if x.strip()]


def _seat_title(meeting: Meeting) -> tuple[str, str]:
    """(the chair's title in the signature, the secretary's name) on the meeting's date."""
    seats = {
        s.role: s.member
        for s in Seat.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=meeting.date),
            organisation=meeting.organisation,
            role__in=[SeatRole.SECRETARY, SeatRole.DEPUTY],
            valid_from__lte=meeting.date,
        ).select_related("member")
    }
    secretary = seats.get(SeatRole.SECRETARY)
    title = "CHỦ TRÌ"
    if secretary and meeting.chair_id == secretary.pk:
        title = "BÍ THƯ"
    elif seats.get(SeatRole.DEPUTY) and meeting.chair_id == seats[SeatRole.DEPUTY].pk:
        title = "PHÓ BÍ THƯ"
    name = secretary.full_name if secretary else (meeting.chair.full_name if meeting.chair else "")
    return title, name


def _series(meeting: Meeting) -> str:
    """The inspection commission numbers in its own register (`…/UBKTĐU`)."""
    return "UBKT" if meeting.body == "commission" else ""


def context(meeting: Meeting, doc_type: str) -> dict:
    org = meeting.organisation
    number = meeting.numbers.filter(doc_type=doc_type).first()
    draft = meeting.state != State.CLOSED or number is None
    rows = list(meeting.attendance.select_related("member").order_by("member__sort_key"))
    home = [a for a in rows if a.standing != Standing.GUEST]
    rate = f"{100 * meeting.present / meeting.expected:.1f}%".replace(".", ",") if meeting.expected else "—"
    title, secretary = _seat_title(meeting)
    kind = "sinh hoạt chuyên đề" if meeting.kind == "thematic" else "sinh hoạt chi bộ thường kỳ"
    if meeting.of_body:
        kind = meeting.title.lower().replace("họp", "cuộc họp", 1)
    if doc_type == DocType.RESOLUTION:
        subject = (
            f"về {meeting.topic}"
            if meeting.topic
            else f"lãnh đạo thực hiện nhiệm vụ tháng {meeting.date:%m/%Y}"
        )
    else:
        subject = f"{kind} tháng {meeting.date:%m/%Y}" + (
            f" – chuyên đề «{meeting.topic}»" if meeting.topic else ""
        )
    verdict = {True: "thông qua", False: "không thông qua"}
    collective = {"committee": org.name if org.type.kind != "cell" else "Chi ủy", "standing": "Ban Thường vụ",
                  "commission": "Ủy ban Kiểm tra"}.get(meeting.body, "Chi bộ")  # fmt: skip
    on_behalf = {"committee": "T/M CHI ỦY" if org.type.kind == "cell" else "T/M ĐẢNG ỦY",
                 "standing": "T/M BAN THƯỜNG VỤ", "commission": "T/M ỦY BAN KIỂM TRA"}.get(meeting.body, "T/M CHI BỘ")  # fmt: skip
    return {
        "collective": collective,
        "collective_upper": collective.upper(),
        "on_behalf": on_behalf,
        "signer_title": "CHỦ NHIỆM" if meeting.body == "commission" else "BÍ THƯ",
        # the inspection commission writes under its committee's name (Party layout: the superior line)
        "superior": org.name.upper() if meeting.body == "commission" else (org.parent.name if org.parent else "").upper(),
        "issuer": "ỦY BAN KIỂM TRA" if meeting.body == "commission" else org.name.upper(),
        "number": number.symbol if number else f"    -{doc_type}/{_series(meeting)}{issuer_code(org)}",
        "draft": draft,
        "place": locality(org),
        "day": day_month(meeting.date)[0],
        "month": day_month(meeting.date)[1],
        "year": meeting.date.year,
        "date": f"{meeting.date:%d/%m/%Y}",
        "subject": ("(DỰ THẢO) " if draft else "") + subject,
        "venue": meeting.place or "—",
        "started": f"{meeting.started_at:%H giờ %M}" if meeting.started_at else "…",
        "ended": f"{meeting.ended_at:%H giờ %M}" if meeting.ended_at else "…",
        "chair": meeting.chair.full_name if meeting.chair else "",
        "chair_title": title,
        "minute_taker": meeting.minute_taker.full_name if meeting.minute_taker else "",
        "secretary": secretary,
        "guests": meeting.guests
        or (meeting.monitor.full_name if meeting.monitor and meeting.monitor_attended else "không"),
        "a": {
            "summoned": len(home),
            "official": sum(1 for a in home if a.rank == Rank.OFFICIAL),
            "probationary": sum(1 for a in home if a.rank == Rank.PROBATIONARY),
            "exempt": sum(1 for a in home if a.standing == Standing.EXEMPT),
            "away": sum(1 for a in home if a.standing == Standing.AWAY),
            "expected": meeting.expected,
            "present": meeting.present,
            "excused": meeting.excused,
            "absent": meeting.absent,
            "rate": rate,
            "guests_present": sum(
                1 for a in rows if a.standing == Standing.GUEST and a.presence == Presence.PRESENT
            ),
        },
        "excused_list": [
            {"name": a.member.full_name, "reason": a.reason}
            for a in home
            if a.standing == Standing.REGULAR and a.presence == Presence.EXCUSED
        ],
        "absent_list": [
            {"name": a.member.full_name}
            for a in home
            if a.standing == Standing.REGULAR and a.presence == Presence.ABSENT
        ],
        "agenda": _lines(meeting.agenda),
        "summary": _lines(meeting.summary) or ["—"],
        "conclusion": _lines(meeting.conclusion) or ["—"],
        "speakers": [{"name": s.name, "opinion": s.opinion} for s in meeting.speakers.all()],
        "votes": [
            {
                "subject": v.subject,
                "for": v.votes_for,
                "against": v.votes_against,
                "abstain": v.votes_abstain,
                "base": v.base,
                "result": verdict[v.passed],
            }
            for v in meeting.votes.all()
        ],
    }


def template_for(org: Organisation, doc_type: str) -> tuple[bytes, DocTemplate | None]:
    """The nearest organisation's own template (the cell's, then its ancestors'), else the repository's; the
    bytes, and the uploaded template they came from (None for the repository's)."""
    paths = [*ancestor_paths(org.path), org.path]
    own = (
        DocTemplate.objects.filter(organisation__path__in=paths, doc_type=doc_type)
        .order_by("-organisation__path")
        .first()
    )
    if own is not None:
        with own.file.open("rb") as f:
            return f.read(), own
    return (DIR / ("minutes.docx" if doc_type == DocType.MINUTES else "resolution.docx")).read_bytes(), None


def _body_template(doc_type: str) -> bytes:
    """A collective body's meetings use the repository's body templates (an organisation's own templates are for
    its cells' meetings)."""
    return (DIR / ("body-minutes.docx" if doc_type == DocType.MINUTES else "body-resolution.docx")).read_bytes()


class TemplateUnusable(Conflict):
    """An organisation's stored template was refused at render time (changed in storage, or a tag not allowed)."""

    def __init__(self, message: str, template: DocTemplate):
        super().__init__(message)
        self.template = template


ERR_STORED_CHANGED = "Tệp mẫu đã bị thay đổi so với khi tải lên."
ERR_STORED = (
    "Không tạo được văn bản từ mẫu riêng của «{org}» (tải lên ngày {date}): {why} "
    "Hãy báo cấp ủy «{org}» tải lại mẫu đúng."
)


def render(meeting: Meeting, doc_type: str) -> bytes:
    """The document from the nearest template, checked again and rendered sandboxed (core.templating); a stored
    template that fails the check, or whose bytes changed since upload, is never rendered (TemplateUnusable)."""
    data, own = (_body_template(doc_type), None) if meeting.of_body else template_for(meeting.organisation, doc_type)
    try:
        if own is not None and own.sha256 and hashlib.sha256(data).hexdigest() != own.sha256:
            raise templating.TemplateRefused(ERR_STORED_CHANGED)
        return templating.render_docx(data, SCHEMA, context(meeting, doc_type))
    except templating.TemplateRefused as e:
        if own is None:
            raise
        raise TemplateUnusable(
            ERR_STORED.format(org=own.organisation.name, date=f"{own.uploaded_at:%d/%m/%Y}", why=e.message), own
        ) from None


def filename(meeting: Meeting, doc_type: str) -> str:
    prefix = "bien-ban" if doc_type == DocType.MINUTES else "nghi-quyet"
    return f"{prefix}-{meeting.organisation.code}-{meeting.date:%Y-%m-%d}.docx"


def download(by, meeting: Meeting, doc_type: str):
    """The document as an HTTP attachment; the download is logged (pages and the API alike). A stored template
    refused at render time is logged too, and the refusal (TemplateUnusable, a Conflict) reaches the caller."""
    try:
        data = render(meeting, doc_type)
    except TemplateUnusable as e:
        audit.record(by=by, action="meeting.template_refused", obj=e.template, org_path=meeting.org_path,
                     after={"doc": doc_type, "meeting": meeting.pk, "reason": e.message})  # fmt: skip
        raise
    audit.record(by=by, action="meeting.document", obj=meeting, org_path=meeting.org_path,
                 after={"doc": doc_type, "draft": meeting.state != State.CLOSED})  # fmt: skip
    r = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    r["Content-Disposition"] = f'attachment; filename="{filename(meeting, doc_type)}"'
    return r
