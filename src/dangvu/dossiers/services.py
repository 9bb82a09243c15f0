"""Every write to dossiers: catalogues (edit, new yearly version, Excel import), dossiers, files and links.

Each operation checks everything first and raises DomainError (field → Vietnamese message) before writing;
then writes in one transaction with an audit entry. After any change the dossier's `complete` flag and its
search text are recomputed (`refresh`), so completeness rollups read one column.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging

from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import DECISION_ROLES
from dangvu.accounts.selectors import _grants
from dangvu.core import audit, ocr, xlsx
from dangvu.core.dates import today
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.core.files import check_upload
from dangvu.core.locking import lock
from dangvu.core.text import clean, search_key
from dangvu.core.tree import STEP
from dangvu.jobs.services import queue_ocr
from dangvu.members.services import ERR_REQUIRED, check_may_edit
from dangvu.organizations.models import Organisation, OrgType
from dangvu.organizations.services import Forbidden

from .models import (
    Catalogue,
    Dossier,
    DossierFile,
    DossierLink,
    DossierType,
    Field,
    Keeping,
    LinkKind,
    MetaField,
    TextStatus,
)

log = logging.getLogger(__name__)

ERR_PUBLISH = "Chỉ cán bộ tổ chức, quản trị của cấp ủy cao nhất mới ban hành danh mục hồ sơ."
ERR_NO_CATALOGUE = "Chưa có danh mục hồ sơ cho loại «{type}» áp dụng năm {year}."
ERR_NOT_IN_CATALOGUE = "Loại hồ sơ «{code}» không có trong danh mục của «{type}» năm {year}."
ERR_CODE_TAKEN = "Mã «{code}» đã có trong danh mục này."
ERR_CATALOGUE_EXISTS = "Đã có danh mục của «{type}» áp dụng từ năm {year}."
ERR_YEAR = "Năm phải từ 1930 đến {max}."
ERR_CLOSED = "«{org}» đã chấm dứt hoạt động ngày {closed}; hồ sơ của tổ chức này chỉ còn để tra cứu."
ERR_NOT_OPEN = "«{org}» không hoạt động trong năm {year}."
ERR_FIELD = "Lĩnh vực «{value}» không hợp lệ; dùng một trong: {allowed}."
ERR_KEEPING = "Cách lập «{value}» không hợp lệ; dùng một trong: {allowed}."
ERR_META = "Thông tin bắt buộc «{value}» không hợp lệ; dùng: {allowed}."
ERR_LINK_KIND = "Liên kết «{value}» không hợp lệ; dùng: {allowed}."
ERR_NO_LINK = "Loại hồ sơ này không liên kết được với «{kind}»."
ERR_LINK_MISSING = "Không tìm thấy hồ sơ để liên kết."
ERR_LINK_TWICE = "Hồ sơ này đã được liên kết."
ERR_REPLACE = "Tệp được thay thế không thuộc hồ sơ này hoặc đã được thay trước đó."
ERR_REPLACED_ALREADY = "«{title}» vừa được thay bằng bản mới (có thể do bấm hai lần hoặc ở tab khác); hãy xem lại các bản của hồ sơ."
ERR_LOCKED = "Danh mục năm {year} đã được dùng để chấm hồ sơ; hãy lập danh mục năm mới thay vì sửa."


def _max_year() -> int:
    return today().year + 1


def check_year(year, field: str = "year") -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(ERR_YEAR.format(max=_max_year()), field=field) from None
    if not 1930 <= year <= _max_year():
        raise DomainError(ERR_YEAR.format(max=_max_year()), field=field)
    return year


# --- catalogues ---------------------------------------------------------------------------------------------


def may_publish(user) -> bool:
    """Catalogues hold for the whole installation: officers and administrators of a root organisation."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(r in DECISION_ROLES and len(p) == STEP for r, p in _grants(user))


def check_may_publish(by) -> None:
    if not may_publish(by):
        raise Forbidden(ERR_PUBLISH)


def catalogue_for(org_type_id: int, year: int) -> Catalogue | None:
    """The catalogue judging `year` for a type: the latest whose year is not after it."""
    return Catalogue.objects.filter(org_type_id=org_type_id, year__lte=year).order_by("-year").first()


def catalogue_create(
    *, by, org_type: OrgType, year, copy_from: Catalogue | None = None, note: str = ""
) -> Catalogue:
    """A new yearly version, starting as a copy of the one in force before it (or of `copy_from`)."""
    check_may_publish(by)
    year = check_year(year)
    if Catalogue.objects.filter(org_type=org_type, year=year).exists():
        raise DomainError(ERR_CATALOGUE_EXISTS.format(type=org_type.name, year=year), field="year")
    source = copy_from or catalogue_for(org_type.pk, year)
    with transaction.atomic():
        cat = Catalogue.objects.create(org_type=org_type, year=year, note=clean(note)[:500])
        if source is not None:
            DossierType.objects.bulk_create(
                DossierType(catalogue=cat, **{f: getattr(t, f) for f in TYPE_FIELDS}, position=t.position)
                for t in source.types.all()
            )
        audit.record(by=by, action="dossiers.catalogue_create", obj=cat,
                     after={"type": org_type.code, "year": year, "from": source.year if source else None})  # fmt: skip
    return cat


TYPE_FIELDS = (
    "code",
    "name",
    "field",
    "keeping",
    "required_meta",
    "needs_file",
    "link_kind",
    "form",
    "retention",
)


def _choice(value, choices, err: str, field: str, errors: dict) -> str:
    """Accept a choice by its value or its Vietnamese label, ignoring case and diacritics."""
    value = clean(str(value or ""))
    for v, label in choices:
        if search_key(value) in (search_key(v), search_key(label)):
            return v
    errors[field] = err.format(value=value, allowed="; ".join(label for _, label in choices))
    return ""


def clean_type(data: dict, errors: dict) -> dict:
    """A dossier type's fields from a form, the API or an import row; errors per field."""
    out = {"code": clean(str(data.get("code") or "")).upper(), "name": clean(str(data.get("name") or ""))}
    for f in ("code", "name"):
        if not out[f]:
            errors[f] = ERR_REQUIRED
    if len(out["code"]) > 20 or " " in out["code"]:
        errors["code"] = "Mã tối đa 20 ký tự, không có dấu cách."
    out["field"] = _choice(data.get("field"), Field.choices, ERR_FIELD, "field", errors)
    out["keeping"] = _choice(
        data.get("keeping") or Keeping.YEAR, Keeping.choices, ERR_KEEPING, "keeping", errors
    )
    meta = data.get("required_meta") or []
    if isinstance(meta, str):
        meta = [m for m in (p.strip() for p in meta.replace("\n", ";").split(";")) if m]
    out["required_meta"] = []
    for m in meta:
        v = _choice(m, MetaField.choices, ERR_META, "required_meta", errors)
        if v and v not in out["required_meta"]:
            out["required_meta"].append(v)
    link = data.get("link_kind") or ""
    out["link_kind"] = _choice(link, LinkKind.choices, ERR_LINK_KIND, "link_kind", errors) if link else ""
    needs = data.get("needs_file", True)
    if isinstance(needs, str):
        needs = search_key(needs) not in ("khong", "0", "false", "no")
    out["needs_file"] = bool(needs)
    out["form"] = clean(str(data.get("form") or ""))[:120]
    out["retention"] = clean(str(data.get("retention") or ""))[:60]
    out["name"] = out["name"][:255]
    return out


def _check_editable(cat: Catalogue) -> None:
    """A catalogue that already judged a finished year stays as it was: a change goes in a new version."""
    if (
        cat.year < today().year
        and Catalogue.objects.filter(org_type_id=cat.org_type_id, year__gt=cat.year).exists()
    ):
        raise DomainError(ERR_LOCKED.format(year=cat.year))


def type_save(*, by, catalogue: Catalogue, data: dict, instance: DossierType | None = None) -> DossierType:
    check_may_publish(by)
    _check_editable(catalogue)
    errors: dict = {}
    values = clean_type(data, errors)
    if (
        values["code"]
        and catalogue.types.filter(code=values["code"]).exclude(pk=instance.pk if instance else None).exists()
    ):
        errors.setdefault("code", ERR_CODE_TAKEN.format(code=values["code"]))
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        before = {f: getattr(instance, f) for f in TYPE_FIELDS} if instance else None
        t = instance or DossierType(catalogue=catalogue, position=(catalogue.types.count() + 1) * 10)
        for f, v in values.items():
            setattr(t, f, v)
        t.save()
        catalogue.save(update_fields=["updated_at"])
        audit.record(by=by, action="dossiers.type_save", obj=catalogue, before=before,
                     after={f: getattr(t, f) for f in TYPE_FIELDS})  # fmt: skip
    return t


def type_remove(*, by, dossier_type: DossierType) -> None:
    check_may_publish(by)
    _check_editable(dossier_type.catalogue)
    with transaction.atomic():
        audit.record(by=by, action="dossiers.type_remove", obj=dossier_type.catalogue,
                     before={f: getattr(dossier_type, f) for f in TYPE_FIELDS})  # fmt: skip
        dossier_type.delete()


# Import columns: the header (any case, with or without diacritics) → the field.
COLUMNS = {
    "ma": "code",
    "ten": "name",
    "ten ho so": "name",
    "linh vuc": "field",
    "lap theo": "keeping",
    "thong tin bat buoc": "required_meta",
    "phai co tep": "needs_file",
    "lien ket": "link_kind",
    "mau bieu": "form",
    "thoi han bao quan": "retention",
}
HEADER = ["Mã", "Tên hồ sơ", "Lĩnh vực", "Lập theo", "Thông tin bắt buộc", "Phải có tệp", "Liên kết",
          "Mẫu biểu", "Thời hạn bảo quản"]  # fmt: skip


def catalogue_import(*, by, org_type: OrgType, year, upload) -> Catalogue:
    """Load a catalogue from an Excel sheet, one row per dossier type: the whole file or nothing.

    The catalogue for (type, year) is created, or its types are replaced by the file's."""
    check_may_publish(by)
    year = check_year(year)
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    check_upload(upload, ("xlsx",))
    try:
        wb = xlsx.open_workbook(io.BytesIO(upload.read()))
        read = list(itertools.islice(xlsx.rows(wb.worksheets[0]), xlsx.row_limit() + 1))
    except DomainError:
        raise
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a damaged file
        raise DomainError("Không đọc được tệp Excel.", field="file") from None
    if len(read) > xlsx.row_limit():
        raise xlsx.too_many_rows()
    formulas = [f"Dòng {n}, cột {xlsx.column_letter(j)}: " + xlsx.ERR_FORMULA.format(formula=f)
                for n, _, fs in read for j, f in fs.items()]  # fmt: skip
    if formulas:
        raise DomainError("Không nhập tệp nào. " + " ".join(formulas[:20]), field="file")
    rows = [values for _, values, _ in read]
    if not rows:
        raise DomainError("Tệp không có dòng nào.", field="file")
    header = [search_key(str(h or "")) for h in rows[0]]
    unknown = [str(rows[0][i]) for i, h in enumerate(header) if h and h not in COLUMNS]
    if unknown:
        raise DomainError(
            f"Cột không nhận ra: {', '.join(unknown)}. Các cột dùng được: {', '.join(HEADER)}.", field="file"
        )
    fields = [COLUMNS.get(h) for h in header]
    if "code" not in fields or "name" not in fields:
        raise DomainError("Tệp phải có cột «Mã» và «Tên hồ sơ».", field="file")
    problems: list[str] = []
    seen: dict[str, int] = {}
    parsed: list[dict] = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in row):
            continue
        data = {f: v for f, v in zip(fields, row, strict=False) if f}
        errors: dict = {}
        values = clean_type(data, errors)
        if values["code"] in seen:
            errors["code"] = f"mã «{values['code']}» trùng với dòng {seen[values['code']]}"
        seen.setdefault(values["code"], n)
        problems += [f"Dòng {n}: {msg}" for msg in errors.values()]
        parsed.append(values)
    if not parsed and not problems:
        raise DomainError("Tệp không có loại hồ sơ nào.", field="file")
    if problems:
        raise DomainError("Không nhập tệp nào. " + " ".join(problems[:20]), field="file")
    with transaction.atomic():
        cat, created = Catalogue.objects.get_or_create(org_type=org_type, year=year)
        if not created:
            _check_editable(cat)
            cat.types.all().delete()
        DossierType.objects.bulk_create(
            DossierType(catalogue=cat, position=(i + 1) * 10, **v) for i, v in enumerate(parsed)
        )
        cat.save(update_fields=["updated_at"])
        audit.record(by=by, action="dossiers.catalogue_import", obj=cat,
                     after={"type": org_type.code, "year": year, "types": len(parsed), "file": upload.name})  # fmt: skip
    return cat


# --- dossiers -----------------------------------------------------------------------------------------------


def _check_org_editable(by, org: Organisation) -> None:
    check_may_edit(by, org)
    if org.closed_on is not None:
        from dangvu.core.dates import fmt

        raise DomainError(ERR_CLOSED.format(org=org.name, closed=fmt(org.closed_on)))


def term_years(org: Organisation, year: int) -> tuple[int, int]:
    """The term a per-term dossier of `year` belongs to: the organisation's recorded term, else the congress
    cycle (2020–2025, 2025–2030, …)."""
    from dangvu.members.models import Term

    term = Term.objects.filter(organisation=org, starts_on__year__lte=year).order_by("-starts_on").first()
    if term is not None and (term.ends_on is None or term.ends_on.year >= year):
        return term.starts_on.year, term.ends_on.year if term.ends_on else term.starts_on.year + 5
    start = year - (year - 2020) % 5
    return start, start + 5


def dossier_type_for(org: Organisation, code: str, year: int) -> DossierType:
    cat = catalogue_for(org.type_id, year)
    if cat is None:
        raise DomainError(ERR_NO_CATALOGUE.format(type=org.type.name, year=year), field="code")
    t = cat.types.filter(code=clean(code).upper()).first()
    if t is None:
        raise DomainError(ERR_NOT_IN_CATALOGUE.format(code=code, type=org.type.name, year=year), field="code")
    return t


def find(org: Organisation, code: str, year: int) -> Dossier | None:
    """The organisation's dossier of this code covering `year`."""
    from django.db.models import Q

    return (
        Dossier.objects.filter(organisation=org, code=code, year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("-year_from")
        .first()
    )


def dossier_open(*, by, org: Organisation, code: str, year, data: dict | None = None) -> Dossier:
    """The organisation's dossier of `code` for `year`, created (for the year, the term or for good, as the
    catalogue says) when there is none yet."""
    _check_org_editable(by, org)
    year = check_year(year)
    if org.established_on.year > year:
        raise DomainError(ERR_NOT_OPEN.format(org=org.name, year=year), field="year")
    t = dossier_type_for(org, code, year)
    existing = find(org, t.code, year)
    if existing is not None:
        if data:
            dossier_update(by=by, dossier=existing, data=data)
        return existing
    if t.keeping == Keeping.YEAR:
        years = (year, year)
    elif t.keeping == Keeping.TERM:
        years = term_years(org, year)
    else:
        years = (year, None)
    values = _clean_meta(data or {}, {})
    with transaction.atomic():
        lock(org)  # a double click opens one dossier: the second finds the first's
        again = find(org, t.code, year)
        if again is not None:
            return again
        d = Dossier.objects.create(
            organisation=org, org_path=org.path, code=t.code, keeping=t.keeping, field=t.field,
            year_from=years[0], year_to=years[1], title=values.pop("title", "") or t.name, **values,
        )  # fmt: skip
        refresh(d, t)
        audit.record(by=by, action="dossiers.open", obj=d, org_path=d.org_path,
                     after={"code": d.code, "years": [d.year_from, d.year_to], "org": org.code})  # fmt: skip
    return d


def _clean_meta(data: dict, errors: dict) -> dict:
    out = {}
    for f in ("title", "number", "signer", "note"):
        if f in data:
            out[f] = clean(str(data[f] or "")) if f != "note" else str(data[f] or "").strip()
    if "issued_on" in data:
        v = data["issued_on"]
        if isinstance(v, str):
            try:
                d, m, y = (int(x) for x in v.strip().split("/")) if v.strip() else (0, 0, 0)
                v = dt.date(y, m, d) if v.strip() else None
            except ValueError:
                errors["issued_on"] = "Ngày phải theo dạng dd/mm/yyyy."
                v = None
        out["issued_on"] = v
    return out


def dossier_update(*, by, dossier: Dossier, data: dict) -> Dossier:
    _check_org_editable(by, dossier.organisation)
    errors: dict = {}
    values = _clean_meta(data, errors)
    if "title" in values and not values["title"]:
        errors["title"] = ERR_REQUIRED
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        before = {f: str(getattr(dossier, f) or "") for f in values}
        for f, v in values.items():
            setattr(dossier, f, v)
        dossier.save()
        refresh(dossier)
        audit.record(by=by, action="dossiers.update", obj=dossier, org_path=dossier.org_path, before=before,
                     after={f: str(v or "") for f, v in values.items()})  # fmt: skip
    return dossier


def type_of(dossier: Dossier) -> DossierType | None:
    """The dossier's type as the catalogue of its first year describes it."""
    cat = catalogue_for(dossier.organisation.type_id, dossier.year_from)
    t = cat.types.filter(code=dossier.code).first() if cat else None
    if t is not None:
        t.catalogue = cat  # its version is stored with the verdict (`judged`)
    return t


def missing(dossier: Dossier, t: DossierType | None) -> list[str]:
    """What the dossier still lacks under its type's requirements (labels), empty when complete."""
    if t is None:
        return []
    return t.lacks(dossier, dossier.files.filter(current=True).exists() or dossier.links.exists())


def judged(dossier: Dossier, t: DossierType | None) -> dict:
    """The stored verdict: complete or not, and the catalogue version (its year) that says so."""
    return {"complete": not missing(dossier, t), "rules_year": t.catalogue.year if t is not None else None}


def index_ocr_text(f: DossierFile, text: str) -> None:
    """What OCR read inside a scanned file, made searchable with its dossier (core.ocr's hook)."""
    DossierFile.objects.filter(pk=f.pk).update(text=search_key(text), text_status=TextStatus.OK if text.strip()
                                               else TextStatus.NONE)  # fmt: skip
    refresh(f.dossier)


def refresh(dossier: Dossier, t: DossierType | None = None) -> None:
    """Recompute the dossier's completeness and its search text (title, number, type, texts of files)."""
    t = t or type_of(dossier)
    texts = list(dossier.files.filter(current=True).values_list("title", "text"))
    parts = [dossier.title, dossier.number, dossier.code, t.name if t else "", dossier.signer, dossier.note]
    parts += [p for pair in texts for p in pair]
    parts += list(dossier.links.values_list("label", flat=True))
    Dossier.objects.filter(pk=dossier.pk).update(
        **judged(dossier, t), search_text=search_key(" ".join(p for p in parts if p))
    )
    dossier.refresh_from_db(fields=["complete", "rules_year", "search_text"])


# --- files and links ----------------------------------------------------------------------------------------

def file_add(
    *, by, dossier: Dossier, upload, title: str = "", replaces: DossierFile | None = None
) -> DossierFile:
    """Store a file in a dossier; when it replaces one, the old one stays as an earlier version."""
    _check_org_editable(by, dossier.organisation)
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    if replaces is not None and (replaces.dossier_id != dossier.pk or not replaces.current):
        raise DomainError(ERR_REPLACE, field="replaces")
    # the text inside (PDF, DOCX) is read for search in a budgeted child process; over budget, the file is kept
    checked = check_upload(upload, ("pdf", "docx", "xlsx", "jpeg", "png"), extract=True)
    text = search_key(checked.text)
    title = clean(title) or (replaces.title if replaces else clean(upload.name))
    with transaction.atomic():
        if replaces is not None:
            lock(replaces)
            if not replaces.current:
                raise Conflict(ERR_REPLACED_ALREADY.format(title=replaces.title), field="replaces")
            DossierFile.objects.filter(pk=replaces.pk).update(current=False)
        f = DossierFile(
            dossier=dossier, title=title[:255], kind=checked.kind, size=checked.size, sha256=checked.sha256,
            text=text, text_status=checked.text_status, version=replaces.version + 1 if replaces else 1,
            replaces=replaces,
            uploaded_at=timezone.now(), uploaded_by=by if by.is_authenticated else None,
        )  # fmt: skip
        f.file.save(f"{checked.sha256[:16]}.{checked.kind}", upload, save=False)
        f.save()
        if ocr.is_scan(checked.kind, checked.text):
            queue_ocr(f)  # the text inside the scan, read by the worker and indexed by index_ocr_text
        dossier.save(update_fields=["updated_at"])
        refresh(dossier)
        audit.record(by=by, action="dossiers.file", obj=dossier, org_path=dossier.org_path,
                     after={"title": f.title, "sha256": f.sha256, "size": f.size, "version": f.version,
                            "replaces": replaces.pk if replaces else None})  # fmt: skip
    return f


def linkable(dossier: Dossier, kind: str) -> list[tuple[int | None, str]]:
    """(ref, label) of the records the system holds that this dossier may link, for its organisation."""
    from dangvu.core.dates import fmt

    org = dossier.organisation
    if kind == LinkKind.REGISTER:
        return [(None, f"Sổ danh sách đảng viên của {org.name} (trong hệ thống)")]
    if kind == LinkKind.MINUTES:
        from dangvu.documents.models import DocType, Outgoing

        last = dossier.year_to or today().year
        rows = Outgoing.objects.filter(
            meeting__organisation=org, meeting__body="members", doc_type=DocType.MINUTES,
            meeting__date__year__gte=dossier.year_from, meeting__date__year__lte=last,
        ).select_related("meeting").order_by("meeting__date")  # fmt: skip
        return [(n.meeting_id, f"Biên bản số {n.symbol} ngày {fmt(n.meeting.date)}") for n in rows]
    if kind == LinkKind.DECISION:
        from dangvu.organizations.models import OrgEvent

        rows = OrgEvent.objects.filter(links__organisation=org).distinct().order_by("effective_on", "pk")
        return [(e.pk, f"Quyết định số {e.decision_number} ngày {fmt(e.effective_on)} ({e.get_kind_display()})")
                for e in rows]  # fmt: skip
    return []


def link_add(*, by, dossier: Dossier, kind: str, ref: int | None = None) -> DossierLink:
    _check_org_editable(by, dossier.organisation)
    t = type_of(dossier)
    if t is None or t.link_kind != kind:
        raise DomainError(ERR_NO_LINK.format(kind=LinkKind(kind).label if kind in LinkKind.values else kind),
                          field="kind")  # fmt: skip
    labels = dict(linkable(dossier, kind))
    if ref not in labels:
        raise DomainError(ERR_LINK_MISSING, field="ref")
    if dossier.links.filter(kind=kind, ref=ref).exists():
        raise DomainError(ERR_LINK_TWICE, field="ref")
    with transaction.atomic():
        link = DossierLink.objects.create(dossier=dossier, kind=kind, ref=ref, label=labels[ref][:255])
        refresh(dossier, t)
        audit.record(by=by, action="dossiers.link", obj=dossier, org_path=dossier.org_path,
                     after={"kind": kind, "ref": ref, "label": link.label})  # fmt: skip
    return link


def file_minutes(*, by, meeting) -> list[DossierLink]:
    """Closed minutes count for the cell's books of that year without anyone linking them: each dossier type that
    links minutes in the catalogue in force (the minutes book; the resolutions book when the meeting issued a
    resolution) is opened if need be, with the book's opening date and keeper taken from the meeting when they
    are empty, and the minutes linked. Nothing when the catalogue has no such type."""
    from dangvu.meetings.models import DocType

    if meeting.of_body:  # a committee's or commission's minutes are not the cell's meetings book
        return []
    org, year = meeting.organisation, meeting.date.year
    cat = catalogue_for(org.type_id, year)
    if cat is None or org.established_on.year > year:
        return []
    issued = set(meeting.numbers.values_list("doc_type", flat=True))
    out = []
    for t in cat.types.filter(link_kind=LinkKind.MINUTES).order_by("code"):
        if "nghị quyết" in t.name.lower() and DocType.RESOLUTION not in issued:
            continue
        d = dossier_open(by=by, org=org, code=t.code, year=year)
        empty = {k: v for k, v in (("issued_on", meeting.date),
                                   ("signer", meeting.chair.full_name if meeting.chair_id else "")) if v and not getattr(d, k)}  # fmt: skip
        if empty:
            Dossier.objects.filter(pk=d.pk).update(**empty)
            d.refresh_from_db()
        if not d.links.filter(kind=LinkKind.MINUTES, ref=meeting.pk).exists():
            out.append(link_add(by=by, dossier=d, kind=LinkKind.MINUTES, ref=meeting.pk))
        refresh(d, t)
    return out


def link_remove(*, by, link: DossierLink) -> None:
    dossier = link.dossier
    _check_org_editable(by, dossier.organisation)
    with transaction.atomic():
        audit.record(by=by, action="dossiers.unlink", obj=dossier, org_path=dossier.org_path,
                     before={"kind": link.kind, "ref": link.ref, "label": link.label})  # fmt: skip
        link.delete()
        refresh(dossier)


def get_for_edit(by, pk: int) -> Dossier:
    d = Dossier.objects.select_related("organisation__type").filter(pk=pk).first()
    if d is None:
        raise NotFound(pk)
    check_may_edit(by, d.organisation)
    return d
