"""Pages of cell meetings. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvu.accounts.models import EDIT_ROLES
from dangvu.accounts.selectors import covers
from dangvu.core import charts, replica, templating
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.core.files import serve
from dangvu.core.forms import add_errors
from dangvu.jobs import views as jobs
from dangvu.members.models import Member
from dangvu.organizations.models import OrgKind
from dangvu.organizations.pages import flash_errors, guard, scope_org
from dangvu.organizations.selectors import org_ancestors, org_get

from . import documents
from . import selectors as sel
from . import services as svc
from .forms import (
    BodyScheduleForm,
    CancelForm,
    FileForm,
    MonitorForm,
    RecordForm,
    ReportForm,
    ScheduleForm,
    SpeakerForm,
    TemplateForm,
    VoteForm,
    WorkingRulesForm,
)
from .models import Body, DocType, MonthlyReport, Presence, Standing, State


def _require_edit(user, org) -> None:
    guard(svc.check_may_edit, user, org)


def _cell(user, code: str):
    org = org_get(user, code)
    if org.type.kind != OrgKind.CELL:
        raise Http404(code)
    return org


# --- the superior committee's dashboard -------------------------------------------------------------------


def _dashboard_args(request):
    org = scope_org(request)
    period = sel.Period.parse(request.GET.get("period", ""), today())
    return org, period, request.GET.get("filter", "")


@replica.reads_view  # dashboards and lists may read from a replica
@login_required
def dashboard(request):
    org, period, flt = _dashboard_args(request)
    if org.type.kind == OrgKind.CELL:
        return redirect("meetings:cell", code=org.code)
    totals = sel.dashboard(request.user, org, period)
    page = Paginator(sel.dashboard_cells(request.user, org, period, flt), 50).get_page(
        request.GET.get("page")
    )
    by_cell = sel.cell_meetings(list(page.object_list), period)
    for c in page.object_list:
        c.period_meetings = by_cell.get(c.pk, [])
    branches = sel.rollup(request.user, org, period.start, period.end)
    bodies = sel.bodies_dashboard(request.user, org, period, today())
    link = lambda b: f"?org={b['org']}&period={period.key}"  # noqa: E731
    figures = [
        charts.bars("Tỷ lệ đảng viên dự họp theo đơn vị (%)",
                    [(b["name"] or b["org"], b["attendance_rate"], link(b)) for b in branches], unit="%",
                    max_value=100, head=("Đơn vị", "Tỷ lệ dự họp")),
        charts.bars("Tỷ lệ tiêu chí chất lượng đạt theo đơn vị (%)",
                    [(b["name"] or b["org"], b["score"], link(b)) for b in branches], unit="%", max_value=100,
                    head=("Đơn vị", "Tiêu chí đạt")),
    ] if len(branches) > 1 else []  # fmt: skip
    return render(
        request,
        "meetings/dashboard.html",
        {
            "org": org,
            "ancestors": org_ancestors(request.user, org),
            "period": period,
            "prev": _shift(period, -1),
            "next": _shift(period, 1),
            "totals": totals,
            "page": page,
            "filter": flt,
            "filters": sel.FILTERS,
            "branches": branches,
            "bodies": bodies,
            "charts": figures,
        },
    )


def _shift(period: sel.Period, step: int) -> str:
    if len(period.months) == 1:
        m = period.start.month - 1 + step
        return f"{period.start.year + m // 12}-{m % 12 + 1:02d}"
    q = (period.start.month - 1) // 3 + step
    return f"{period.start.year + q // 4}-Q{q % 4 + 1}"


@login_required
@require_POST
def dashboard_export(request):
    """The dashboard's cells as Excel, as a background job (a province has thousands of cells)."""
    org, period, flt = _dashboard_args(request)
    return jobs.start(request, kind="meeting.export",
                      params={"org": org.code, "period": period.key, "filter": flt},
                      label=f"Sinh hoạt chi bộ — {org.name} — {period.label}", org_path=org.path)  # fmt: skip


# --- a cell's year --------------------------------------------------------------------------------------


@login_required
def cell(request, code):
    org = _cell(request.user, code)
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        year = today().year
    data = sel.cell_year(request.user, org, year)
    return render(
        request,
        "meetings/cell.html",
        {
            "org": org,
            "ancestors": org_ancestors(request.user, org),
            "year": year,
            "may_edit": covers(request.user, org.path, roles=EDIT_ROLES),
            "today": today(),
            **data,
        },
    )


def _schedule(form) -> svc.Schedule:
    d = form.cleaned_data
    return svc.Schedule(
        kind=d["kind"],
        date=d["date"],
        topic=d.get("topic") or "",
        combined=bool(d.get("combined")),
        planned_time=d.get("planned_time"),
        place=d.get("place") or "",
        agenda=d.get("agenda") or "",
    )


@login_required
def create(request, code):
    org = _cell(request.user, code)
    _require_edit(request.user, org)
    initial = {"kind": request.GET.get("kind", "regular")}
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            m = svc.schedule(by=request.user, org=org, data=_schedule(form))
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã đăng ký {m.title.lower()} ngày {m.date:%d/%m/%Y}.")
            return redirect("meetings:detail", pk=m.pk)
    return render(
        request, "meetings/form.html", {"org": org, "form": form, "title": "Đăng ký lịch sinh hoạt"}
    )


# --- the collective bodies of an organisation ---------------------------------------------------------------


@login_required
def bodies(request, code):
    """An organisation's committee, standing committee and inspection commission: the year's meetings of each, by
    month, and whether each met as often as its rules ask."""
    org = org_get(request.user, code)
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        year = today().year
    data = sel.body_year(request.user, org, year, today())
    return render(request, "meetings/bodies.html", {
        "org": org, "ancestors": org_ancestors(request.user, org), "year": year,
        "may_edit": covers(request.user, org.path, roles=EDIT_ROLES), **data,
    })  # fmt: skip


@login_required
def working_rules(request, code):
    """Record the organisation's working regulations: how often each of its bodies meets."""
    from dangvu.documents.models import DocType as DT
    from dangvu.documents.models import Outgoing

    org = org_get(request.user, code)
    _require_edit(request.user, org)
    docs = {d.pk: d for d in Outgoing.objects.filter(organisation=org, doc_type=DT.RULES).order_by("-issued_on")[:50]}
    form = WorkingRulesForm(request.POST or None, documents=docs.values(),
                            initial={"committee_every": 1, "standing_every": 1, "commission_every": 1})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = svc.Rules(adopted_on=d["adopted_on"], committee_every=d["committee_every"],
                         standing_every=d["standing_every"], commission_every=d["commission_every"],
                         document=docs.get(d["document"]), reference=d.get("reference") or "", note=d.get("note") or "")  # fmt: skip
        try:
            r = svc.rules_adopt(by=request.user, org=org, data=data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã ghi quy chế làm việc ban hành ngày {r.adopted_on:%d/%m/%Y}.")
            return redirect("meetings:bodies", code=org.code)
    return render(request, "meetings/form.html", {
        "org": org, "form": form, "title": "Quy chế làm việc: lịch họp thường kỳ của các cơ quan",
        "back": reverse("meetings:bodies", args=[org.code]),
    })  # fmt: skip


@login_required
def body_create(request, code, body):
    org = org_get(request.user, code)
    if body not in Body.values or body == Body.MEMBERS:
        raise Http404(body)
    _require_edit(request.user, org)
    initial = {"kind": "regular", **({"date": request.GET["date"]} if request.GET.get("date") else {})}
    form = BodyScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = svc.Schedule(body=body, kind=d["kind"], date=d["date"], planned_time=d.get("planned_time"),
                            place=d.get("place") or "", agenda=d.get("agenda") or "")  # fmt: skip
        try:
            m = svc.schedule(by=request.user, org=org, data=data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã đăng ký {m.title.lower()} ngày {m.date:%d/%m/%Y}.")
            return redirect("meetings:detail", pk=m.pk)
    return render(request, "meetings/form.html", {
        "org": org, "form": form, "title": f"Đăng ký cuộc họp {svc.body_name(body)}",
        "back": reverse("meetings:bodies", args=[org.code]),
    })  # fmt: skip


@login_required
def report(request, code, year, month):
    org = _cell(request.user, code)
    try:
        first = dt.date(year, month, 1)
    except ValueError:
        raise Http404(month) from None
    existing = MonthlyReport.objects.filter(organisation=org, month=first).first()
    if request.method == "POST":
        _require_edit(request.user, org)
    form = ReportForm(
        request.POST or None,
        initial={"results": existing.results, "directions": existing.directions} if existing else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.report_file(by=request.user, org=org, month=first, **form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, f"Đã lưu báo cáo tháng {first:%m/%Y}.")
            return redirect(f"{reverse('meetings:cell', args=[org.code])}?year={year}")
    return render(
        request,
        "meetings/report.html",
        {
            "org": org,
            "form": form,
            "month": first,
            "report": existing,
            "may_edit": covers(request.user, org.path, roles=EDIT_ROLES),
        },
    )


@login_required
def templates(request, code):
    org = org_get(request.user, code)
    _require_edit(request.user, org)
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.template_upload(by=request.user, org=org, doc_type=form.cleaned_data["doc_type"],
                                upload=form.cleaned_data["file"])  # fmt: skip
        except DomainError as e:
            add_errors(form, e)
        else:
            messages.success(request, "Đã lưu mẫu văn bản; các chi bộ trực thuộc dùng mẫu này từ nay.")
            return redirect("meetings:templates", code=org.code)
    from .models import DocTemplate

    own = DocTemplate.objects.filter(organisation=org)
    return render(
        request,
        "meetings/templates.html",
        {"org": org, "form": form, "own": own, "tags": documents.CONTEXT_HELP,
         "filters": templating.ALLOWED_FILTERS, "max_depth": templating.MAX_LOOP_DEPTH},
    )


# --- one meeting ----------------------------------------------------------------------------------------


def _may(user, m) -> dict:
    may_edit = covers(user, m.org_path, roles=EDIT_ROLES)
    parent = m.organisation.parent
    return {
        "may_edit": may_edit and not m.locked,
        "may_monitor": bool(parent and covers(user, parent.path, roles=EDIT_ROLES)),
    }


@login_required
def detail(request, pk):
    m = sel.meeting_get(request.user, pk)
    lines = sel.lines_of(m)
    summoned = lines or sel.summoned(m.organisation, m.date, m.body)
    people = [x for x in summoned if x.standing != Standing.AWAY]
    ctx = {
        "m": m,
        "org": m.organisation,
        "ancestors": org_ancestors(request.user, m.organisation),
        "lines": lines,
        "summoned": summoned,
        "files": list(m.files.all()),
        "speakers": list(m.speakers.all()),
        "votes": list(m.votes.all()),
        "numbers": {n.doc_type: n for n in m.numbers.all()},
        "notices": m.notices.count(),
        "monitor_notice": m.notices.filter(is_monitor=True).order_by("sent_at").first(),
        "happened": m.date <= today(),
        "speaker_form": SpeakerForm(people=people),
        "vote_form": VoteForm(),
        "file_form": FileForm(),
        "cancel_form": CancelForm(),
        **_may(request.user, m),
    }
    return render(request, "meetings/detail.html", ctx)


def _meeting_for_edit(request, pk):
    m = sel.meeting_get(request.user, pk)
    _require_edit(request.user, m.organisation)
    return m


def _done(request, m, message: str):
    messages.success(request, message)
    return redirect("meetings:detail", pk=m.pk)


def _refused(request, m, e: DomainError):
    flash_errors(request, e)
    return redirect("meetings:detail", pk=m.pk)


@login_required
def edit(request, pk):
    m = _meeting_for_edit(request, pk)
    initial = {
        "kind": m.kind, "date": m.date, "planned_time": m.planned_time, "place": m.place, "topic": m.topic,
        "combined": m.combined, "agenda": m.agenda,
    }  # fmt: skip
    form = (BodyScheduleForm if m.of_body else ScheduleForm)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.reschedule(by=request.user, meeting=m, data=_schedule(form))
        except DomainError as e:
            add_errors(form, e)
        else:
            return _done(request, m, "Đã lưu.")
    return render(request, "meetings/form.html", {"org": m.organisation, "form": form, "m": m,
                                                  "title": "Sửa lịch, chương trình"})  # fmt: skip


@login_required
@require_POST
def cancel(request, pk):
    m = _meeting_for_edit(request, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Hãy ghi lý do hủy.", field="reason")
        svc.cancel(by=request.user, meeting=m, reason=form.cleaned_data["reason"])
    except DomainError as e:
        return _refused(request, m, e)
    return _done(request, m, "Đã hủy buổi sinh hoạt.")


@login_required
@require_POST
def attach(request, pk):
    m = _meeting_for_edit(request, pk)
    form = FileForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise DomainError("Hãy chọn tệp tài liệu.", field="file")
        f = svc.attach(
            by=request.user, meeting=m, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
        )
    except DomainError as e:
        return _refused(request, m, e)
    return _done(request, m, f"Đã đưa lên tài liệu «{f.title}».")


@login_required
def file(request, pk, fid):
    """A meeting document: scoped, checked against its SHA-256, and the download is logged."""
    m = sel.meeting_get(request.user, pk)
    f = m.files.filter(pk=fid).first()
    if f is None:
        raise Http404(fid)
    ext = f.file.name.rsplit(".", 1)[-1]
    return serve(by=request.user, stored=f.file, sha256=f.sha256, kind=ext, filename=f"tai-lieu-{f.pk}.{ext}",
                 obj=m, org_path=m.org_path, action="meeting.file", info={"file": f.pk, "title": f.title})  # fmt: skip


@login_required
@require_POST
def notify(request, pk):
    m = _meeting_for_edit(request, pk)
    try:
        sent = svc.notify(by=request.user, meeting=m)
    except DomainError as e:
        return _refused(request, m, e)
    return _done(request, m, sent.sentence())


def _not_now(request, m):
    """Roll call and minutes only for a meeting that has taken place and is still open: otherwise back to the
    meeting, saying why (the form is never offered where saving it cannot succeed)."""
    try:
        svc.check_recordable(m)
    except DomainError as e:
        messages.info(request, e.message)
        return redirect("meetings:detail", pk=m.pk)
    return None


@login_required
def roll_call(request, pk):
    m = _meeting_for_edit(request, pk)
    if (away := _not_now(request, m)) is not None:
        return away
    current = {x.member_id: x for x in sel.lines_of(m)}
    lines = sel.summoned(m.organisation, m.date, m.body)
    for x in lines:
        old = current.get(x.member_id)
        x.presence = old.presence if old else ""
        x.reason = old.reason if old else ""
        x.suspended = bool(old and old.standing == Standing.SUSPENDED)
    errors: dict = {}
    if request.method == "POST":
        marks = {}
        for x in lines:
            key = f"m{x.member_id}"
            x.presence = request.POST.get(key, "")
            x.reason = request.POST.get(f"{key}-reason", "")
            x.suspended = request.POST.get(f"{key}-suspended") == "1"
            if x.presence or x.suspended:
                marks[x.member_id] = svc.Mark(x.presence, x.reason, x.suspended)
        try:
            svc.roll_call(by=request.user, meeting=m, marks=marks)
        except DomainError as e:
            errors = e.errors
        else:
            return _done(request, m, "Đã lưu điểm danh.")
    keys = set()
    for x in lines:
        x.error = errors.get(f"m{x.member_id}", "")
        keys.add(f"m{x.member_id}")
    general = list(dict.fromkeys(msg for k, msg in errors.items() if k not in keys))  # not tied to a row
    return render(
        request,
        "meetings/roll_call.html",
        {"m": m, "org": m.organisation, "lines": lines, "errors": errors, "general": general,
         "row_errors": len(errors) - sum(1 for k in errors if k not in keys), "presences": Presence.choices},
    )  # fmt: skip


@login_required
def record(request, pk):
    m = _meeting_for_edit(request, pk)
    if (away := _not_now(request, m)) is not None:
        return away
    people = [x for x in sel.summoned(m.organisation, m.date, m.body) if x.standing != Standing.AWAY]
    initial = {
        "started_at": m.started_at, "ended_at": m.ended_at, "chair": m.chair_id, "minute_taker": m.minute_taker_id,
        "guests": m.guests, "summary": m.summary, "conclusion": m.conclusion,
    }  # fmt: skip
    form = RecordForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ids = [i for i in (d["chair"], d["minute_taker"]) if i]
        found = Member.objects.in_bulk(ids)
        try:
            svc.record(
                by=request.user,
                meeting=m,
                data=svc.Record(
                    started_at=d["started_at"],
                    ended_at=d["ended_at"],
                    chair=found.get(d["chair"]),
                    minute_taker=found.get(d["minute_taker"]),
                    guests=d["guests"],
                    summary=d["summary"],
                    conclusion=d["conclusion"],
                ),
            )
        except DomainError as e:
            add_errors(form, e)
        else:
            return _done(request, m, "Đã lưu biên bản.")
    return render(request, "meetings/form.html", {"org": m.organisation, "form": form, "m": m,
                                                  "title": "Ghi biên bản"})  # fmt: skip


@login_required
@require_POST
def speaker(request, pk):
    m = _meeting_for_edit(request, pk)
    people = [x for x in sel.summoned(m.organisation, m.date, m.body) if x.standing != Standing.AWAY]
    form = SpeakerForm(request.POST, people=people)
    try:
        if not form.is_valid():
            raise DomainError("Hãy ghi ý kiến phát biểu.", field="opinion")
        d = form.cleaned_data
        member = Member.objects.filter(pk=d["member"]).first() if d["member"] else None
        s = svc.speaker_add(by=request.user, meeting=m, member=member, name=d["name"], opinion=d["opinion"])
    except DomainError as e:
        return _refused(request, m, e)
    return _done(request, m, f"Đã ghi ý kiến của {s.name}.")


@login_required
@require_POST
def speaker_remove(request, pk, sid):
    m = _meeting_for_edit(request, pk)
    s = m.speakers.filter(pk=sid).first()
    if s is None:
        raise Http404(sid)
    try:
        svc.speaker_remove(by=request.user, speaker=s)
    except DomainError as e:
        return _refused(request, m, e)
    return _done(request, m, "Đã xóa ý kiến.")


@login_required
@require_POST
def vote(request, pk):
    m = _meeting_for_edit(request, pk)
    form = VoteForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Hãy ghi nội dung và số phiếu (số nguyên không âm).", field="votes_for")
        v = svc.vote_add(by=request.user, meeting=m, **form.cleaned_data)
    except DomainError as e:
        return _refused(request, m, e)
    verdict = "được thông qua" if v.passed else "không được thông qua"
    return _done(request, m, f"«{v.subject}»: {v.votes_for}/{v.base} tán thành, {verdict}.")


@login_required
@require_POST
def vote_remove(request, pk, vid):
    m = _meeting_for_edit(request, pk)
    v = m.votes.filter(pk=vid).first()
    if v is None:
        raise Http404(vid)
    try:
        svc.vote_remove(by=request.user, vote=v)
    except DomainError as e:
        return _refused(request, m, e)
    return _done(request, m, "Đã xóa kết quả biểu quyết.")


@login_required
@require_POST
def close(request, pk):
    m = _meeting_for_edit(request, pk)
    try:
        svc.close(by=request.user, meeting=m)
    except DomainError as e:
        return _refused(request, m, e)
    numbers = ", ".join(f"Số {n.symbol}" for n in m.numbers.all())
    return _done(request, m, f"Đã hoàn tất biên bản ({numbers}).")


@login_required
def monitor(request, pk):
    m = sel.meeting_get(request.user, pk)
    guard(svc.check_may_monitor, request.user, m.organisation)
    initial = {"attended": "1" if m.monitor_attended is not False else "0", "report": m.monitor_report}
    form = MonitorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.monitor_record(by=request.user, meeting=m, **form.cleaned_data)
        except DomainError as e:
            add_errors(form, e)
        else:
            return _done(request, m, "Đã ghi việc dự họp và báo cáo của cấp ủy viên theo dõi.")
    monitor = m.monitor or sel.monitor_on(m.organisation, m.date)
    return render(request, "meetings/form.html", {
        "org": m.organisation, "form": form, "m": m,
        "title": f"Cấp ủy viên theo dõi: {monitor.full_name if monitor else 'chưa phân công'}",
    })  # fmt: skip


@login_required
def document(request, pk, doc):
    m = sel.meeting_get(request.user, pk)
    doc_type = {"minutes": DocType.MINUTES, "resolution": DocType.RESOLUTION}.get(doc)
    if doc_type is None or m.state not in (State.HELD, State.CLOSED):
        raise Http404(doc)
    try:
        return documents.download(request.user, m, doc_type)
    except documents.TemplateUnusable as e:
        messages.error(request, e.message)
        return redirect("meetings:detail", pk=m.pk)
