"""/api/v1/dossiers: catalogues, dossiers, their files and links, completeness of a subtree, through the same
services and selectors as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from dangvu.core.api import MAX_LIMIT, MAX_OFFSET
from dangvu.core.dates import today
from dangvu.core.errors import DomainError
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import org_get

from . import selectors as sel
from . import services as svc
from .models import Catalogue, Dossier, DossierFile, DossierType, LinkKind
from .views import download

router = Router()
ERR_NO_FILE = "Chưa có tệp, hoặc tệp rỗng (0 byte)."


class DossierTypeOut(Schema):
    code: str
    name: str
    field: str
    keeping: str = Field(description="year | term | permanent")
    required_meta: list[str]
    needs_file: bool
    link_kind: str
    form: str
    retention: str


class CatalogueOut(Schema):
    id: int
    org_type: str
    org_type_name: str
    year: int = Field(description="áp dụng từ năm này đến khi có danh mục năm sau")
    note: str
    dossier_types: list[DossierTypeOut]


class CatalogueFilters(Schema):
    org_type: str = Field("", description="mã loại tổ chức, vd. cbtt-thon")
    year: int | None = Field(None, description="chỉ các danh mục áp dụng cho năm này (mỗi loại một danh mục)")


@router.get("/catalogues", response=dict[str, list[CatalogueOut]], summary="Danh mục hồ sơ theo loại tổ chức")
def catalogues(request, filters: Query[CatalogueFilters]):
    if filters.year is not None:
        cats = list(sel.catalogues_in_force(filters.year).values())
    else:
        cats = list(Catalogue.objects.select_related("org_type"))
    if filters.org_type:
        cats = [c for c in cats if c.org_type.code == filters.org_type]
    types: dict[int, list] = {}
    for t in DossierType.objects.filter(catalogue__in=[c.pk for c in cats]):
        types.setdefault(t.catalogue_id, []).append(t)
    return {
        "items": [
            {"id": c.pk, "org_type": c.org_type.code, "org_type_name": c.org_type.name, "year": c.year,
             "note": c.note, "dossier_types": types.get(c.pk, [])}
            for c in sorted(cats, key=lambda c: (c.org_type.position, c.org_type.code, -c.year))
        ]
    }  # fmt: skip


class CompletenessFilters(Schema):
    org: str = Field(description="mã tổ chức: tổ chức đó và toàn bộ cây bên dưới")
    year: int | None = Field(None, description="mặc định: năm nay")
    only_incomplete: bool = False
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TotalsOut(Schema):
    orgs: int = Field(description="tổ chức phải có hồ sơ (có danh mục) trong cây")
    complete: int
    committees: int
    committees_complete: int
    cells: int
    cells_complete: int
    required: int = Field(description="tổng số loại hồ sơ phải có")
    present: int
    percent: float | None


class BranchOut(Schema):
    org: str
    org_name: str
    is_self: bool
    orgs: int
    complete: int
    cells: int
    cells_complete: int
    required: int
    present: int
    percent: float | None


class MissingOut(Schema):
    code: str
    name: str


class OrgCompletenessOut(Schema):
    org: str
    org_name: str
    required: int
    present: int
    percent: float | None
    complete: bool
    missing: list[MissingOut]


class CompletenessOut(Schema):
    org: str
    year: int
    totals: TotalsOut
    branches: list[BranchOut]
    organisations: list[OrgCompletenessOut]
    count: int


@router.get("/completeness", response=CompletenessOut, summary="Mức độ đầy đủ hồ sơ của một cây tổ chức")
def completeness(request, filters: Query[CompletenessFilters]):
    org = org_get(request.user, filters.org)
    year = svc.check_year(filters.year or today().year)
    totals, branches = sel.rollup(org, year)
    count, rows = sel.org_rows(
        org, year, only_incomplete=filters.only_incomplete, limit=filters.limit, offset=filters.offset
    )
    return {
        "org": org.code,
        "year": year,
        "totals": {**totals.__dict__, "committees": totals.committees,
                   "committees_complete": totals.committees_complete, "percent": totals.percent},
        "branches": [{**b, "org": b["org"].code if b["org"] else b["branch"],
                      "org_name": b["org"].name if b["org"] else ""} for b in branches],
        "organisations": [{"org": r["code"], "org_name": r["name"], "required": r["required"],
                           "present": r["present"], "percent": r["percent"],
                           "complete": r["present"] >= r["required"],
                           "missing": [{"code": c, "name": n} for c, n in r["missing"]]} for r in rows],
        "count": count,
    }  # fmt: skip


class FileOut(Schema):
    id: int
    title: str
    kind: str
    size: int
    sha256: str
    version: int
    current: bool
    uploaded_at: dt.datetime


class LinkOut(Schema):
    id: int
    kind: str
    ref: int | None
    label: str


class DossierOut(Schema):
    id: int
    org: str
    org_name: str
    code: str
    field: str
    keeping: str
    year_from: int
    year_to: int | None
    title: str
    number: str
    issued_on: dt.date | None
    signer: str
    complete: bool


class DossierDetailOut(DossierOut):
    note: str
    missing: list[str]
    files: list[FileOut]
    links: list[LinkOut]


def dossier_out(d: Dossier) -> dict:
    return {**{f: getattr(d, f) for f in DossierOut.model_fields if f not in ("org", "org_name")},
            "org": d.organisation.code, "org_name": d.organisation.name}  # fmt: skip


def detail_out(user, pk: int) -> dict:
    d = sel.dossier_get(user, pk)
    return {**dossier_out(d), "note": d.note, "missing": svc.missing(d, svc.type_of(d)),
            "files": list(d.files.all()), "links": list(d.links.all())}  # fmt: skip


class SearchFilters(Schema):
    q: str = Field("", description="từ khóa, không cần dấu; tìm cả trong nội dung tệp PDF, DOCX")
    org: str = Field("", description="mã tổ chức: tổ chức đó và cây bên dưới")
    year: int | None = Field(None, description="hồ sơ dùng cho năm này")
    code: str = Field("", description="mã loại hồ sơ")
    field: str = ""
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DossierListOut(Schema):
    items: list[DossierOut]
    count: int


@router.get("", response=DossierListOut, summary="Tra cứu hồ sơ")
def search(request, filters: Query[SearchFilters]):
    org = sel.org_reachable(request.user, filters.org) if filters.org else None
    qs = sel.search(
        request.user, q=filters.q, org=org, year=filters.year, code=filters.code, field_=filters.field
    )
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return {"items": [dossier_out(d) for d in page], "count": qs.count()}


class DossierOpenIn(Schema):
    org: str
    code: str = Field(description="mã loại hồ sơ trong danh mục của tổ chức cho năm đó")
    year: int
    title: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    signer: str = ""
    note: str = ""


@router.post("", response={201: DossierDetailOut}, summary="Lập hồ sơ (hoặc lấy hồ sơ đã có) cho một năm")
def open_dossier(request, payload: DossierOpenIn):
    org = org_field(request.user, payload.org, "org")
    data = {
        k: v for k, v in payload.dict().items() if k not in ("org", "code", "year") and v not in ("", None)
    }
    d = svc.dossier_open(by=request.user, org=org, code=payload.code, year=payload.year, data=data)
    return Status(201, detail_out(request.user, d.pk))


@router.get(
    "/{dossier_id}", response=DossierDetailOut, summary="Một hồ sơ: thông tin, tệp (mọi phiên bản), liên kết"
)
def get_dossier(request, dossier_id: int):
    return detail_out(request.user, dossier_id)


class MetaIn(Schema):
    title: str | None = None
    number: str | None = None
    issued_on: dt.date | None = None
    signer: str | None = None
    note: str | None = None


@router.patch("/{dossier_id}", response=DossierDetailOut, summary="Sửa thông tin hồ sơ")
def update_dossier(request, dossier_id: int, payload: MetaIn):
    d = svc.get_for_edit(request.user, dossier_id)
    svc.dossier_update(by=request.user, dossier=d, data=payload.dict(exclude_unset=True))
    return detail_out(request.user, dossier_id)


@router.post("/{dossier_id}/files", response={201: FileOut}, summary="Đưa lên một tệp (hoặc thay một tệp)")
def upload(request, dossier_id: int, file: File[UploadedFile | None] = None, title: Form[str] = "",
           replaces: Form[str] = ""):  # fmt: skip  (replaces: id of the file replaced; empty for a new one)
    d = svc.get_for_edit(request.user, dossier_id)
    if file is None:  # absent, or empty (Django drops an empty file part): the service says which
        raise DomainError(ERR_NO_FILE, field="file")
    old = None
    replaces = replaces.strip()
    if replaces and replaces != "null":
        if not replaces.isdigit():
            raise DomainError(svc.ERR_REPLACE, field="replaces")
        old = DossierFile.objects.filter(pk=int(replaces), dossier=d).first()
        if old is None:
            raise DomainError(svc.ERR_REPLACE, field="replaces")
    return Status(201, svc.file_add(by=request.user, dossier=d, upload=file, title=title, replaces=old))


@router.get(
    "/{dossier_id}/files/{file_id}", summary="Tải một tệp (kiểm tra SHA-256; 409 nếu tệp đã bị thay đổi)"
)
def get_file(request, dossier_id: int, file_id: int):
    return download(request.user, *sel.file_get(request.user, dossier_id, file_id))


class LinkIn(Schema):
    kind: str = Field(description="minutes | register | decision")
    ref: int | None = Field(None, description="mã buổi sinh hoạt hoặc quyết định; để trống với sổ danh sách")


@router.post(
    "/{dossier_id}/links", response={201: LinkOut}, summary="Liên kết một hồ sơ đã có trong hệ thống"
)
def add_link(request, dossier_id: int, payload: LinkIn):
    d = svc.get_for_edit(request.user, dossier_id)
    if payload.kind not in LinkKind.values:
        raise DomainError(svc.ERR_LINK_KIND.format(value=payload.kind, allowed=", ".join(LinkKind.values)),
                          field="kind")  # fmt: skip
    return Status(201, svc.link_add(by=request.user, dossier=d, kind=payload.kind, ref=payload.ref))
