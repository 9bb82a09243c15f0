"""Demo dues: a year of the province's dues. Each member has a basis (salary subject to social insurance,
pension, student, other); every month up to the last is opened; most members pay at the month's meeting (some
on the public-service portal, with its reference), a few fall behind (three months or more: flagged); each
commune's reports for the quarters already over are approved, so those months are locked."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from dangvu.core.dates import add_months, today
from dangvu.members.models import IN_REGISTER, Member
from dangvu.organizations.models import Organisation

from . import services as svc
from .models import Basis, Category, Due, Method, Payment


def seed_dues(by, *, rng: random.Random) -> dict:
    now = today()
    roots = list(Organisation.objects.filter(parent__isnull=True, closed_on__isnull=True))
    first = dt.date(now.year, 1, 1)
    members = list(Member.objects.filter(status__in=IN_REGISTER).values_list("pk", "birth_date"))
    bases = []
    for pk, born in members:
        age = now.year - born.year
        if age >= 62:
            category, amount = Category.PENSION, rng.randrange(3_500_000, 9_000_000, 1000)
        elif age <= 22:
            category, amount = Category.STUDENT, 0
        elif rng.random() < 0.55:
            category, amount = Category.INSURED, rng.randrange(4_680_000, 15_000_000, 10_000)
        else:
            category, amount = Category.OTHER, 0
        bases.append(Basis(member_id=pk, valid_from=dt.date(now.year - 1, 1, 1), category=category, amount=amount,
                           source="import", recorded_by=by))  # fmt: skip
    Basis.objects.bulk_create(bases, ignore_conflicts=True)
    months = []
    m = first
    while m <= svc.month_of(now):
        months.append(m)
        m = add_months(m, 1)
    for root in roots:
        for m in months:
            svc.month_open(by=by, org=root, month=m)
    behind = {pk for pk, _b in members if rng.random() < 0.03}
    late = {pk for pk, _b in members if rng.random() < 0.05} - behind
    pays, touched = [], []
    for d in Due.objects.filter(month__gte=first, month__lt=svc.month_of(now)).select_related("org").iterator(chunk_size=5000):
        if d.amount == 0:
            continue
        if d.member_id in behind and d.month.month >= 3:
            continue
        if d.member_id in late and rng.random() < 0.3:
            continue
        portal = rng.random() < 0.15
        pays.append(Payment(member_id=d.member_id, month=d.month, org_path=d.org_path, amount=d.amount,
                            paid_on=min(d.month + dt.timedelta(days=rng.randint(3, 20)), now),
                            method=Method.PORTAL if portal else Method.CASH,
                            reference=f"DVC{d.month:%Y%m}{d.member_id:07d}" if portal else "", recorded_by=by))  # fmt: skip
        d.paid = d.amount
        touched.append(d)
    with transaction.atomic():
        Payment.objects.bulk_create(pays, batch_size=2000)
        Due.objects.bulk_update(touched, ["paid"], batch_size=2000)
    reports = 0
    communes = Organisation.objects.filter(type__code="xa", closed_on__isnull=True)
    for q in range(4):
        a = dt.date(now.year, q * 3 + 1, 1)
        b = svc.month_end(add_months(a, 2))
        if b >= now:
            break
        for commune in communes:
            svc.report_approve(by=by, org=commune, start=a, end=b)
            reports += 1
    return {"dues_payments": len(pays), "dues_reports": reports}
