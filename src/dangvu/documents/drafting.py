"""A registered document drafted as .docx: the header (superior, issuer, the number), the place and date, the type
name and subject, the body the officer typed, the signature block (a committee signs "T/M ĐẢNG ỦY", never "K/T";
a cell "T/M CHI BỘ") and the recipients, in the Party layout with the margins of the format setting in force on
the document's date (core.docx_layout). When the organisation or its nearest ancestor keeps a template for the
type, that template is rendered instead, sandboxed (core.templating), with the same data."""

from __future__ import annotations

import io

from dangvu.core import templating
from dangvu.core.dates import day_month, party_date, today
from dangvu.core.docx_layout import header, new_document, para, signature_block
from dangvu.core.tree import ancestor_paths
from dangvu.organizations.models import OrgKind
from dangvu.organizations.selectors import place_name

from .models import Body, DocType, Outgoing, Template

SCHEMA = templating.register_schema("documents", {
    **{k: "…" for k in ("superior", "issuer", "number", "symbol", "type_name", "subject", "place", "place_date",
                        "day", "month", "date", "signer", "sign_for", "sign_title")},
    "year": 2026,
    "recipients": ["…"],
    "body": ["…"],
})  # fmt: skip
FIELDS_HELP = ("superior, issuer, number, symbol, type_name, subject, place, place_date, day, month, year, date, "
               "signer, sign_for, sign_title, recipients (danh sách), body (danh sách đoạn)")  # fmt: skip
NO_TYPE_NAME = {DocType.LETTER}  # a công văn prints no type name; its subject sits under the number


def _issuer(org, body: str) -> tuple[str, str]:
    """(the line above, the issuing body) of the header."""
    superior = (org.parent.name if org.parent_id else "").upper()
    if body == Body.COMMISSION:
        return org.name.upper(), "ỦY BAN KIỂM TRA"
    if body == Body.STANDING:
        return superior, f"BAN THƯỜNG VỤ {org.name.upper()}"
    if body == Body.CONGRESS:
        return superior, f"ĐẠI HỘI {org.name.upper()}"
    return superior, org.name.upper()


def _sign(org, body: str) -> tuple[str, str]:
    if body == Body.COMMISSION:
        return "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM"
    if body == Body.STANDING:
        return "T/M BAN THƯỜNG VỤ", "BÍ THƯ"
    if body == Body.CONGRESS:
        return "T/M ĐOÀN CHỦ TỊCH", ""
    return ("T/M CHI BỘ" if org.type.kind == OrgKind.CELL else "T/M ĐẢNG ỦY"), "BÍ THƯ"


def context(doc: Outgoing, body_text: str) -> dict:
    org, on = doc.organisation, doc.issued_on
    superior, issuer = _issuer(org, doc.body)
    sign_for, sign_title = _sign(org, doc.body)
    day, month = day_month(on)
    place = place_name(org)
    recipients = [r.strip() for r in doc.recipients.replace("\n", ";").split(";") if r.strip()]
    return {"superior": superior, "issuer": issuer, "number": f"Số {doc.symbol}", "symbol": doc.symbol,
            "type_name": "" if doc.doc_type in NO_TYPE_NAME else doc.get_doc_type_display().upper(),
            "subject": doc.subject, "place": place, "place_date": party_date(place, on), "day": day, "month": month,
            "year": on.year, "date": on.strftime("%d/%m/%Y"), "signer": doc.signer, "sign_for": sign_for,
            "sign_title": sign_title, "recipients": recipients or ["Lưu Văn phòng"],
            "body": [p.strip() for p in (body_text or "").splitlines() if p.strip()]}  # fmt: skip


def template_for(org, doc_type: str) -> Template | None:
    """The organisation's own template for the type, else the nearest ancestor's."""
    paths = [*ancestor_paths(org.path), org.path]
    found = Template.objects.filter(org_path__in=paths, doc_type=doc_type, active=True).select_related("organisation")
    return max(found, key=lambda t: len(t.org_path), default=None)


def built_in(ctx: dict, doc_type: str, on) -> bytes:
    """The Party layout without a template."""
    d = new_document(on)
    letter = doc_type in NO_TYPE_NAME
    header(d, superior=ctx["superior"], issuer=ctx["issuer"], number=ctx["number"], place_date=ctx["place_date"],
           type_name=ctx["type_name"], subject="" if letter else ctx["subject"])  # fmt: skip
    if letter and ctx["subject"]:
        para(d, f"V/v {ctx['subject']}", size=12, italic=True, align="center")
        para(d, "")
    for p in ctx["body"] or ["…"]:
        para(d, p, align="justify", indent=True)
    para(d, "")
    signature_block(d, "", "", [x for x in (ctx["sign_for"], ctx["sign_title"]) if x], ctx["signer"],
                    receivers=[f"- {r}," for r in ctx["recipients"]])  # fmt: skip
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def render(doc: Outgoing, body_text: str) -> tuple[bytes, Template | None]:
    ctx = context(doc, body_text)
    t = template_for(doc.organisation, doc.doc_type)
    if t is None:
        return built_in(ctx, doc.doc_type, doc.issued_on), None
    with t.file.open("rb") as fh:
        data = fh.read()
    return templating.render_docx(data, SCHEMA, ctx), t


def sample_for(org, doc_type: str) -> Outgoing:
    """A document that is not saved, to preview a template with the organisation's own header."""
    return Outgoing(organisation=org, org_path=org.path, doc_type=doc_type, body=Body.ORGANISATION, number=1,
                    symbol=f"01-{doc_type}/{'CB' if org.type.kind == OrgKind.CELL else 'ĐU'}", issued_on=today(),
                    subject="Trích yếu nội dung văn bản (xem thử)", signer="Nguyễn Văn A",
                    recipients="Các chi bộ trực thuộc; Lưu Văn phòng")  # fmt: skip


def preview(t: Template) -> bytes:
    with t.file.open("rb") as fh:
        data = fh.read()
    ctx = context(sample_for(t.organisation, t.doc_type), "Đoạn thứ nhất của nội dung.\nĐoạn thứ hai.")
    return templating.render_docx(data, SCHEMA, ctx)
