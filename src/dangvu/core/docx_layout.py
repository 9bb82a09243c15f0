"""Party documents as .docx (HD 36-HD/VPTW): the page, the header (issuer top left with the superior above and
the number below, "ĐẢNG CỘNG SẢN VIỆT NAM" top right with the place-and-date line under it), the type name and
subject, and the signature block. The measurements are dated rules (`documents.format`), read for the
document's date. Built with python-docx; used for the repository's meeting templates and the review forms."""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import rules
from .dates import today

DEFAULT = {
    "margins_cm": {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5}, "font": "Times New Roman",
    "body_pt": 14, "superior_pt": 14, "issuer_pt": 14, "party_pt": 15, "type_pt": 16, "subject_pt": 14,
    "place_date_pt": 14, "header_columns_cm": [6.5, 10.0],
}  # fmt: skip


def layout(on: dt.date | None = None) -> dict:
    """The layout in force on `on` (the defaults above when no rule is loaded)."""
    try:
        return {**DEFAULT, **rules.params("documents.format", on or today())}
    except rules.NoRule:
        return dict(DEFAULT)


def new_document(on: dt.date | None = None) -> Document:
    f = layout(on)
    doc = Document()
    s = doc.sections[0]
    s.page_height, s.page_width = Cm(29.7), Cm(21)
    m = f["margins_cm"]
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Cm(m["top"]), Cm(m["bottom"]), Cm(m["left"]), Cm(m["right"])
    style = doc.styles["Normal"]
    style.font.name = f["font"]
    style.font.size = Pt(f["body_pt"])
    style.element.rPr.rFonts.set(qn("w:eastAsia"), f["font"])
    style.paragraph_format.space_after = Pt(3)
    doc._dangvu_layout = f  # what the helpers below read
    return doc


def _f(doc) -> dict:
    return getattr(doc, "_dangvu_layout", None) or getattr(getattr(doc, "_parent", None), "_dangvu_layout", None) \
        or DEFAULT


def para(container, text="", *, size=None, bold=False, italic=False, underline=False, align=None, indent=False,
         keep=False):  # fmt: skip
    p = container.add_paragraph()
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if keep:
        p.paragraph_format.keep_with_next = True
    if text:
        r = p.add_run(text)
        r.font.size, r.bold, r.italic, r.underline = Pt(size or 14), bold, italic, underline
        r.font.name = "Times New Roman"
    return p


def fixed_columns(table, widths_cm: list[float]) -> None:
    """Give the table fixed column widths that Word and LibreOffice both keep (grid, cells and a fixed layout),
    instead of two equal columns."""
    table.autofit = False
    tbl = table._tbl
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        for c, w in zip(row.cells, widths_cm, strict=False):
            c.width = Cm(w)
    layout_el = OxmlElement("w:tblLayout")
    layout_el.set(qn("w:type"), "fixed")
    tbl.tblPr.append(layout_el)


def keep_row_together(table) -> None:
    """No row of the table splits across two pages (a signature block stays whole)."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))


def _drop_first(cell) -> None:
    first = cell.paragraphs[0]
    first._element.getparent().remove(first._element)


def header(doc, *, superior: str, issuer: str, number: str, place_date: str, type_name: str = "",
           subject: str = "", form_code: str = "") -> None:  # fmt: skip
    """The header block. `number` may be "" (a form without a number keeps the star only)."""
    f = _f(doc)
    if form_code:
        para(doc, form_code, size=12, italic=True, align="right")
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_columns(t, f["header_columns_cm"])
    left, right = t.rows[0].cells
    para(left, superior, size=f["superior_pt"], align="center")
    para(left, issuer, size=f["issuer_pt"], bold=True, align="center")
    para(left, "*", size=f["issuer_pt"], align="center")
    if number:
        para(left, number, size=f["issuer_pt"], align="center")
    para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=f["party_pt"], bold=True, underline=True, align="center")
    para(right, "", size=f["place_date_pt"])
    para(right, place_date, size=f["place_date_pt"], italic=True, align="center")
    _drop_first(left)
    _drop_first(right)
    para(doc, "")
    if type_name:
        para(doc, type_name, size=f["type_pt"], bold=True, align="center")
    if subject:
        para(doc, subject, size=f["subject_pt"], bold=True, align="center")
    if type_name or subject:
        para(doc, "-----", align="center")


def signature_block(doc, left_title: str, left_name: str, right_lines: list[str], right_name: str,
                    *, receivers: list[str] | None = None) -> None:  # fmt: skip
    """Two columns in one row that never splits across pages: on the left the recipients ("Nơi nhận:") or a
    signer (a title, then the name), on the right the signer's title lines, then the name. Both names stand on
    the same line: the shorter side's title is padded from the top."""
    f = _f(doc)
    t = doc.add_table(rows=1, cols=2)
    fixed_columns(t, f["header_columns_cm"])
    keep_row_together(t)
    left, right = t.rows[0].cells
    if receivers is not None:
        para(left, "Nơi nhận:", bold=True, underline=True, size=12)
        for r in receivers:
            para(left, r, size=12)
    else:
        titles = [left_title] if left_title else []
        pad = len(right_lines) - len(titles)
        for _ in range(max(pad, 0)):
            para(left, "")
        for line in titles:
            para(left, line, bold=True, align="center")
        for _ in range(3):
            para(left, "")
        para(left, left_name, bold=True, align="center")
    for _ in range(max(len([left_title] if left_title else []) - len(right_lines), 0)):
        para(right, "")
    for line in right_lines:
        para(right, line, bold=True, align="center")
    for _ in range(3):
        para(right, "")
    para(right, right_name, bold=True, align="center")
    _drop_first(left)
    _drop_first(right)
