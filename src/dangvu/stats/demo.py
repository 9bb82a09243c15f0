"""Demo statistics: the reports frozen at the last four cut-offs (30/6 and 31/12) for the province and each
commune, so a comparison and the trend of totals show; and a year of commune committee members' field days
(registered, approved, reported; a few still waiting, one cancelled)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from dangvu.core.dates import today
from dangvu.members.models import Seat
from dangvu.organizations.models import Organisation

from . import selectors as sel
from .models import FieldDay, FieldDayState, Snapshot


def cutoffs(before: dt.date, n: int = 4) -> list[dt.date]:
    out, y = [], before.year
    while len(out) < n:
        for d in (dt.date(y, 12, 31), dt.date(y, 6, 30)):
            if d < before and len(out) < n:
                out.append(d)
        y -= 1
    return sorted(out)


def seed_stats(by, *, rng: random.Random) -> dict:
    now = today()
    roots = list(Organisation.objects.filter(parent__isnull=True, closed_on__isnull=True))
    communes = list(Organisation.objects.filter(type__code="xa", closed_on__isnull=True).order_by("path"))
    snaps = []
    for org in roots + communes:
        for on in cutoffs(now):
            if on < org.established_on:
                continue
            data = sel.serialise(sel.figures(by, org, on, dt.date(on.year, 1, 1), on))
            snaps.append(Snapshot(organisation=org, on=on, date_from=dt.date(on.year, 1, 1), data=data,
                                  note="Báo cáo 6 tháng" if on.month == 6 else "Báo cáo năm", taken_by=by))  # fmt: skip
    days = []
    for commune in communes:
        cells = list(Organisation.objects.filter(parent=commune, closed_on__isnull=True, type__kind="cell")[:20])
        if not cells:
            continue
        for seat in Seat.objects.filter(organisation=commune, valid_to__isnull=True).select_related("member"):
            for k in range(rng.randint(1, 4)):
                day = dt.date(now.year, rng.randint(1, 12), rng.randint(1, 28))
                fd = FieldDay(member=seat.member, committee=commune, organisation=rng.choice(cells), planned_on=day,
                              purpose=rng.choice(["Dự sinh hoạt chi bộ, nắm tình hình thôn",
                                                  "Kiểm tra việc thực hiện nghị quyết của chi bộ",
                                                  "Làm việc với chi ủy về công tác phát triển đảng viên"]))  # fmt: skip
                if day < now and rng.random() < 0.85:
                    fd.state, fd.approved_by, fd.approved_at = FieldDayState.DONE, by, timezone.now()
                    fd.done_on, fd.days = day, rng.choice([1, 1, 1, 2])
                    fd.report = "Chi bộ sinh hoạt đều; đã trao đổi với chi ủy về những việc còn chậm."
                elif k == 3:
                    fd.state = FieldDayState.CANCELLED
                elif day < now + dt.timedelta(days=30) and rng.random() < 0.5:
                    fd.state, fd.approved_by, fd.approved_at = FieldDayState.APPROVED, by, timezone.now()
                days.append(fd)
    with transaction.atomic():
        Snapshot.objects.bulk_create(snaps, ignore_conflicts=True)
        FieldDay.objects.bulk_create(days)
    return {"snapshots": len(snaps), "field_days": len(days)}
