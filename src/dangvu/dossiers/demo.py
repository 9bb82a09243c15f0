"""Dossiers for the demo province: last year's nearly complete, this year's in progress, with the gaps a
superior committee chases (cells that never filed their inspection plan, dues books without a keeper, …).
One stored PDF per dossier type stands for the scans; rows are built in memory and inserted in bulk, and
judged by the rule of `services.missing`: every required item of metadata filled, and a file or a link."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from dangvu.core.dates import today
from dangvu.core.text import search_key
from dangvu.organizations.models import Organisation, OrgType

from . import services as svc
from .models import Catalogue, Dossier, DossierFile, DossierLink, Keeping, LinkKind, MetaField
from .samples import pdf_with_text
from .selectors import catalogues_in_force, covering

SIGNERS = ["Lò Văn An", "Đặng Thị Hòa", "Nguyễn Văn Đức", "Hoàng Văn Thắng", "Bàn Thị Mai", "Triệu Văn Sơn"]


def seed_dossiers(by, *, rng: random.Random) -> dict:
    year = today().year
    with transaction.atomic():
        village = OrgType.objects.get(code="cbtt-thon")
        if not Catalogue.objects.filter(org_type=village, year=year).exists():
            cat = svc.catalogue_create(by=by, org_type=village, year=year,
                                       note=f"Bổ sung năm {year}: theo dõi kích hoạt Sổ tay đảng viên điện tử")  # fmt: skip
            svc.type_save(by=by, catalogue=cat, data={
                "code": "TG09", "name": "Danh sách đảng viên đã kích hoạt Sổ tay đảng viên điện tử",
                "field": "tuyen-giao", "keeping": "year", "required_meta": ["issued_on"],
            })  # fmt: skip
        orgs = list(
            Organisation.objects.filter(closed_on__isnull=True).select_related("type").order_by("path")
        )
        dossiers = 0
        # last year: 60% of organisations complete, the others filed 85% of their list; this year (November):
        # 25% complete, the others 70%
        for y, diligent, share in ((year - 1, 0.6, 0.85), (year, 0.25, 0.7)):
            dossiers += _year(orgs, y, diligent, share, rng)
    return {"dossiers": dossiers}


def _stored(t, cache: dict) -> tuple[str, str, str, int]:
    """One stored PDF per dossier type: (name, sha256, text key, size)."""
    if t.code not in cache:
        text = [
            f"{t.code} {search_key(t.name)}",
            "Dang bo tinh Lao Cai - ho so mau",
            "Ban scan luu tai chi bo",
        ]
        data = pdf_with_text(text)
        name = default_storage.save(f"dossiers/demo/{t.code}.pdf", ContentFile(data))
        cache[t.code] = (name, hashlib.sha256(data).hexdigest(), search_key(" ".join(text)), len(data))
    return cache[t.code]


def _year(orgs: list[Organisation], year: int, diligent: float, share: float, rng: random.Random) -> int:
    """Dossiers of `year` for every organisation with a catalogue: a `diligent` share of them file everything;
    the others file each type with probability `share` and leave some metadata out."""
    cats = catalogues_in_force(year)
    types = {c.org_type_id: list(c.types.all()) for c in cats.values()}
    have = set(Dossier.objects.filter(covering(year)).values_list("organisation_id", "code"))
    from dangvu.documents.models import DocType, Outgoing

    minutes: dict[int, list] = {}  # closed minutes of the year, filed in the minutes book as the app does
    for org_id, ref, symbol, on in (Outgoing.objects.filter(doc_type=DocType.MINUTES, meeting__date__year=year)
                                    .order_by("meeting__date").values_list("meeting__organisation_id", "meeting_id",
                                                                           "symbol", "meeting__date")):  # fmt: skip
        minutes.setdefault(org_id, []).append((ref, f"Biên bản số {symbol} ngày {on:%d/%m/%Y}", on))
    cache: dict = {}
    versions: dict[int, dict] = {}

    def version_of(type_id: int, y: int) -> int | None:
        cat = versions.setdefault(y, catalogues_in_force(y)).get(type_id)
        return cat.year if cat else None

    now = timezone.now()
    rows, files, links = [], [], []
    for org in orgs:
        if org.established_on.year > year or org.type_id not in types:
            continue
        careful = rng.random() < diligent
        for t in types[org.type_id]:
            book = t.link_kind == LinkKind.MINUTES and "biên bản" in t.name.lower() and minutes.get(org.pk)
            if (org.pk, t.code) in have or (not book and not careful and rng.random() > share):
                continue
            years = {Keeping.YEAR: (year, year), Keeping.TERM: (2025, 2030) if year >= 2025 else (2020, 2025),
                     Keeping.PERMANENT: (year, None)}[t.keeping]  # fmt: skip
            d = Dossier(
                organisation=org, org_path=org.path, code=t.code, keeping=t.keeping, field=t.field,
                year_from=years[0], year_to=years[1], title=t.name,
                number=f"{rng.randint(1, 40):02d}-{'KH' if t.code.startswith('KT') else 'BC'}/CB"
                if MetaField.NUMBER in t.required_meta else "",
                issued_on=dt.date(year, rng.randint(1, 3), rng.randint(1, 28)),
                signer=rng.choice(SIGNERS) if careful or rng.random() > 0.1 else "",
            )  # fmt: skip
            if book:
                d.issued_on, text = book[0][2], ""
                links += [(d, DossierLink(kind=LinkKind.MINUTES, ref=ref, label=label)) for ref, label, _ in book]
            elif t.link_kind == LinkKind.REGISTER and rng.random() < 0.6:
                links.append(
                    (d, DossierLink(kind=LinkKind.REGISTER, label=f"Sổ danh sách đảng viên của {org.name}"))
                )
                text = ""
            else:
                name, sha, text, size = _stored(t, cache)
                files.append((d, DossierFile(title=f"{t.name} ({year}).pdf", file=name, kind="pdf", size=size,
                                             sha256=sha, text=text, text_status="ok", uploaded_at=now,
                                             uploaded_by=None)))  # fmt: skip
            d.complete = not t.lacks(d, has_file=True)  # every demo dossier has a file or a link
            d.rules_year = version_of(org.type_id, d.year_from)  # the catalogue version that judges it
            d.search_text = search_key(" ".join(p for p in (d.title, d.number, d.code, d.signer, text) if p))
            rows.append(d)
            have.add((org.pk, t.code))
    Dossier.objects.bulk_create(rows, batch_size=2000)
    for d, f in files:
        f.dossier_id = d.pk
    DossierFile.objects.bulk_create([f for _, f in files], batch_size=2000)
    for d, link in links:
        link.dossier_id = d.pk
    DossierLink.objects.bulk_create([link for _, link in links], batch_size=2000)
    return len(rows)
