"""The procedures handbook: reading (the nearest page up the tree for each procedure, else the starter page),
Markdown rendering (raw HTML off; markdown-it refuses javascript:, vbscript:, file: and data: links), and every
write (a committee's own page, versioned, with attachments)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from dangvu.core import audit
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.core.files import check_upload
from dangvu.core.text import clean, search_key
from dangvu.core.tree import ancestor_paths
from dangvu.organizations.models import Organisation

from .models import HandbookFile, HandbookPage, HandbookVersion
from .services import ERR_REQUIRED, check_may_write, kept, put

ERR_EDITED = "Trang đã được sửa (phiên bản {version}) sau khi anh/chị mở; hãy mở lại trang để sửa tiếp."
ERR_TOO_LONG = "Tối đa {limit} ký tự."
ERR_OWN_FIRST = "Trang này đang dùng nội dung của {owner}; hãy sửa và lưu thành trang của {org} trước khi đính kèm."
MAX_BODY = 100_000
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def render(body: str) -> str:
    return mark_safe(_MD.render(body or ""))  # noqa: S308  (raw HTML is off: markdown-it escapes it)


def _chain(org: Organisation) -> list[str]:
    return ["", *ancestor_paths(org.path), org.path]


def pages(org: Organisation, q: str = "") -> list[HandbookPage]:
    """For each procedure, the page the organisation reads: its own, else its nearest ancestor's, else the starter
    page; with `q`, those whose title or text holds every word (without diacritics)."""
    qs = HandbookPage.objects.filter(Q(organisation__isnull=True) | Q(org_path__in=_chain(org)[1:]))
    best: dict[str, HandbookPage] = {}
    for p in qs.select_related("organisation").order_by("org_path"):
        best[p.slug] = p  # ordered by path: the nearest comes last
    out = list(best.values())
    for word in search_key(q).split()[:8]:
        out = [p for p in out if word in p.search_text]
    return sorted(out, key=lambda p: search_key(p.title))


def page(org: Organisation, slug: str) -> HandbookPage:
    found = [p for p in pages(org) if p.slug == slug]
    if not found:
        raise NotFound(slug)
    return found[0]


def _slug_for(org: Organisation, title: str) -> str:
    from django.utils.text import slugify

    base = slugify(search_key(title))[:70] or "trang"
    slug, n = base, 1
    while HandbookPage.objects.filter(Q(organisation=org) | Q(organisation__isnull=True), slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def save(*, by, org: Organisation, slug: str | None, title: str, body: str, base_version: int | None,
         note: str = "") -> HandbookPage:  # fmt: skip
    """Write the organisation's own page (a new page when `slug` is None; editing an inherited page makes it the
    organisation's own). `base_version` is the version the editor opened: a later save in between is a conflict,
    so a double click or two editors never overwrite each other."""
    check_may_write(by, org)
    title = clean(title or "")
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise DomainError(ERR_REQUIRED, field="title")
    if len(title) > 200:
        raise DomainError(ERR_TOO_LONG.format(limit=200), field="title")
    if not body:
        raise DomainError(ERR_REQUIRED, field="body")
    if len(body) > MAX_BODY:
        raise DomainError(ERR_TOO_LONG.format(limit=MAX_BODY), field="body")
    user = by if getattr(by, "pk", None) else None
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        if slug is None:
            slug = _slug_for(org, title)
            own = None
        else:
            current = page(org, slug)
            if base_version is not None and current.version != base_version and current.org_path == org.path:
                raise Conflict(ERR_EDITED.format(version=current.version), field="body")
            own = current if current.organisation_id == org.pk else None
        if own is None:
            own = HandbookPage(organisation=org, org_path=org.path, slug=slug, version=0)
        own.title, own.body, own.version = title, body, own.version + 1
        own.search_text = search_key(f"{title} {body}")
        own.updated_at, own.updated_by = timezone.now(), user
        own.save()
        HandbookVersion.objects.create(page=own, version=own.version, title=title, body=body,
                                       note=clean(note or "")[:300], edited_by=user)  # fmt: skip
        audit.record(by=by, action="documents.handbook_save", obj=own, org_path=org.path,
                     after={"slug": slug, "version": own.version, "title": title})  # fmt: skip
    return own


def attach(*, by, org: Organisation, slug: str, title: str, upload) -> HandbookFile:
    check_may_write(by, org)
    p = page(org, slug)
    if p.organisation_id != org.pk:
        owner = p.organisation.name if p.organisation_id else "trang khởi đầu của Đảng vụ"
        raise DomainError(ERR_OWN_FIRST.format(owner=owner, org=org.name), field="file")
    if upload is None:
        raise DomainError(ERR_REQUIRED, field="file")
    checked = check_upload(upload, ("pdf", "docx", "xlsx", "jpeg", "png"))
    name = put(upload, checked, "documents/handbook")
    with kept(name), transaction.atomic():
        f = HandbookFile(page=p, title=clean(title or "")[:200] or upload.name[:200], sha256=checked.sha256,
                         kind=checked.kind, uploaded_by=by if getattr(by, "pk", None) else None)  # fmt: skip
        f.file.name = name
        f.save()
        audit.record(by=by, action="documents.handbook_file", obj=p, org_path=org.path,
                     after={"title": f.title, "sha256": f.sha256})  # fmt: skip
    return f


def file_get(user, pk) -> HandbookFile:
    """An attachment, for whoever reads its page: the organisation's subtree (and its ancestors' users)."""
    from dangvu.accounts.selectors import covers, user_scope_roots

    f = HandbookFile.objects.filter(pk=pk).select_related("page").first()
    if f is None:
        raise NotFound(str(pk))
    path = f.page.org_path
    if user.is_superuser or covers(user, path) or any(r.path.startswith(path) for r in user_scope_roots(user)):
        return f
    raise NotFound(str(pk))


# the procedure each decision kind of the tree follows
FOR_DECISION = {"establish": "thanh-lap-to-chuc-dang", "dissolve": "giai-the-to-chuc-dang",
                "merge": "hop-nhat-sap-nhap", "split": "chia-tach-to-chuc-dang"}  # fmt: skip


# the procedures the pages link to, by the starter pages' slugs and titles (migration 0008): no query per page
PROCEDURES = {
    "thanh-lap-to-chuc-dang": "Thành lập tổ chức đảng", "giai-the-to-chuc-dang": "Giải thể tổ chức đảng",
    "hop-nhat-sap-nhap": "Hợp nhất, sáp nhập tổ chức đảng", "chia-tach-to-chuc-dang": "Chia tách tổ chức đảng",
    "quy-che-lam-viec": "Xây dựng quy chế làm việc", "phan-cong-cap-uy-vien": "Phân công nhiệm vụ cấp ủy viên",
    "sinh-hoat-chi-bo": "Chuẩn bị và tổ chức sinh hoạt chi bộ", "ket-nap-dang-vien": "Kết nạp đảng viên",
    "chuyen-sinh-hoat-dang": "Chuyển sinh hoạt đảng", "van-thu-so-van-ban": "Đăng ký, đánh số văn bản",
}  # fmt: skip


def link(slug: str, org=None) -> str:
    """The link a page shows to a procedure (core.procedures' resolver)."""
    from django.urls import reverse
    from django.utils.html import format_html

    slug = FOR_DECISION.get(slug, slug)
    title = PROCEDURES.get(slug)
    if not title:
        return ""
    url = reverse("documents:handbook_page", args=[slug]) + (f"?org={org.code}" if getattr(org, "code", None) else "")
    return format_html('<a class="small handbook-link" href="{}">Quy trình: {}</a>', url, title)
