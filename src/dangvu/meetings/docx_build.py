"""Builds the repository's .docx templates (docx/minutes.docx, docx/resolution.docx) with python-docx: the
Party document layout of HD 36-HD/VPTW (A4; Times New Roman; the issuing body top left with "*" and the number;
"ĐẢNG CỘNG SẢN VIỆT NAM" top right, underlined, with the place and date in italics; the type name, the subject
line and a short rule; the signature block). The templates hold docxtpl (Jinja) tags; an organisation may upload
its own template using the same tags (documents.CONTEXT_HELP lists them).

Run `dangvu build_docx_templates` after changing this file, and commit the .docx files it writes.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dangvu.core import templating

FONT = "Times New Roman"
DIR = Path(__file__).resolve().parent / "docx"


def new_document() -> Document:
    doc = Document()
    s = doc.sections[0]
    s.page_height, s.page_width = Cm(29.7), Cm(21)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Cm(2), Cm(2), Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    return doc


def para(container, text="", *, size=14, bold=False, italic=False, underline=False, align=None, indent=False):
    p = container.add_paragraph()
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if text:
        r = p.add_run(text)
        r.font.size, r.bold, r.italic, r.underline = Pt(size), bold, italic, underline
        r.font.name = FONT
    return p


def _header(doc, type_name: str, subject: str) -> None:
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = t.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    left.paragraphs[0].text = ""
    para(left, "{{ superior }}", align="center")
    para(left, "{{ issuer }}", bold=True, align="center")
    para(left, "*", align="center")
    para(left, "Số {{ number }}", align="center")
    para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True, align="center")
    para(right, "")
    para(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True, align="center")
    for cell in (left, right):
        first = cell.paragraphs[0]
        first._element.getparent().remove(first._element)
    para(doc, "")
    para(doc, type_name, size=16, bold=True, align="center")
    para(doc, subject, bold=True, align="center")
    para(doc, "-----", align="center")


def _loop(doc, var: str, items: str, text: str, **kw) -> None:
    para(doc, f"{{%p for {var} in {items} %}}")
    para(doc, text, **kw)
    para(doc, "{%p endfor %}")


def signature_block(doc, left_title: str, left_name: str, right_lines: list[str], right_name: str) -> None:
    t = doc.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    para(left, left_title, bold=True, align="center" if left_title != "Nơi nhận:" else None,
       underline=left_title == "Nơi nhận:", size=14 if left_title != "Nơi nhận:" else 12)  # fmt: skip
    if left_title == "Nơi nhận:":
        para(left, "- Cấp ủy cấp trên (báo cáo),", size=12)
        para(left, "- Đảng viên trong chi bộ,", size=12)
        para(left, "- Lưu chi bộ.", size=12)
    else:
        for _ in range(3):
            para(left, "")
        para(left, left_name, bold=True, align="center")
    for line in right_lines:
        para(right, line, bold=True, align="center")
    for _ in range(3):
        para(right, "")
    para(right, right_name, bold=True, align="center")
    for cell in (left, right):
        first = cell.paragraphs[0]
        first._element.getparent().remove(first._element)


def build_minutes() -> Document:
    doc = new_document()
    _header(doc, "BIÊN BẢN", "{{ subject }}")
    para(doc, "Thời gian: bắt đầu lúc {{ started }}, ngày {{ date }}.", align="justify", indent=True)
    para(doc, "Địa điểm: {{ venue }}.", align="justify", indent=True)
    para(
        doc,
        "Chủ trì: đồng chí {{ chair }}. Thư ký: đồng chí {{ minute_taker }}.",
        align="justify",
        indent=True,
    )
    para(doc, "Đại biểu cấp trên dự: {{ guests }}.", align="justify", indent=True)
    para(doc, "I. TÌNH HÌNH ĐẢNG VIÊN DỰ HỌP", bold=True)
    para(
        doc,
        "Tổng số đảng viên của chi bộ: {{ a.summoned }} (chính thức: {{ a.official }}, dự bị: {{ a.probationary }}); "
        "miễn công tác và sinh hoạt: {{ a.exempt }}; sinh hoạt tạm thời nơi khác: {{ a.away }}. "
        "Số đảng viên phải dự họp: {{ a.expected }}.",
        align="justify",
        indent=True,
    )
    para(
        doc,
        "Có mặt: {{ a.present }} đồng chí ({{ a.rate }}); vắng có lý do: {{ a.excused }}; "
        "vắng không lý do: {{ a.absent }}. Đảng viên sinh hoạt tạm thời tại chi bộ dự họp: {{ a.guests_present }}.",
        align="justify",
        indent=True,
    )
    _loop(doc, "x", "excused_list", "- Vắng có lý do: {{ x.name }} ({{ x.reason }}).", indent=True)
    _loop(doc, "x", "absent_list", "- Vắng không lý do: {{ x.name }}.", indent=True)
    para(doc, "II. CHƯƠNG TRÌNH", bold=True)
    _loop(doc, "line", "agenda", "{{ line }}", indent=True)
    para(doc, "III. NỘI DUNG", bold=True)
    _loop(doc, "line", "summary", "{{ line }}", align="justify", indent=True)
    para(doc, "IV. Ý KIẾN PHÁT BIỂU", bold=True)
    _loop(doc, "s", "speakers", "- Đồng chí {{ s.name }}: {{ s.opinion }}", align="justify", indent=True)
    para(doc, "V. KẾT LUẬN VÀ BIỂU QUYẾT", bold=True)
    _loop(doc, "line", "conclusion", "{{ line }}", align="justify", indent=True)
    _loop(
        doc,
        "v",
        "votes",
        "- Biểu quyết «{{ v.subject }}»: tán thành {{ v.for }}, không tán thành {{ v.against }}, "
        "không biểu quyết {{ v.abstain }} trên {{ v.base }} đảng viên ({{ v.result }}).",
        align="justify",
        indent=True,
    )
    para(
        doc,
        "Buổi sinh hoạt kết thúc lúc {{ ended }} cùng ngày; biên bản đã được thông qua trước chi bộ.",
        align="justify",
        indent=True,
    )
    signature_block(doc, "THƯ KÝ", "{{ minute_taker }}", ["T/M CHI BỘ", "{{ chair_title }}"], "{{ chair }}")
    return doc


def build_resolution() -> Document:
    doc = new_document()
    _header(doc, "NGHỊ QUYẾT", "{{ subject }}")
    para(
        doc,
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam; căn cứ kết quả buổi sinh hoạt chi bộ ngày {{ date }} "
        "({{ a.present }}/{{ a.expected }} đảng viên dự họp),",
        italic=True,
        align="justify",
        indent=True,
    )
    para(doc, "CHI BỘ QUYẾT NGHỊ:", bold=True, align="center")
    _loop(doc, "line", "conclusion", "{{ line }}", align="justify", indent=True)
    _loop(
        doc,
        "v",
        "votes",
        "Nghị quyết được {{ v.for }}/{{ v.base }} đảng viên tán thành ({{ v.result }}).",
        align="justify",
        indent=True,
    )
    signature_block(doc, "Nơi nhận:", "", ["T/M CHI BỘ", "BÍ THƯ"], "{{ secretary }}")
    return doc


def build_all(target: Path = DIR) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for name, builder in (("minutes.docx", build_minutes), ("resolution.docx", build_resolution)):
        path = target / name
        builder().save(path)
        out.append(path)
    return out


# The data a meeting template may print: names, their attributes, lists and their items (core.templating).
_COUNTS = ("summoned", "official", "probationary", "exempt", "away", "expected", "present", "excused", "absent",
           "rate", "guests_present")  # fmt: skip
SCHEMA = templating.register_schema(
    "meetings",
    {
        **{k: "…" for k in ("superior", "issuer", "number", "place", "day", "month", "date", "subject", "venue",
                            "started", "ended", "chair", "chair_title", "minute_taker", "secretary", "guests")},
        "year": 2026,
        "draft": False,
        "a": {k: 0 for k in _COUNTS},
        "excused_list": [{"name": "…", "reason": "…"}],
        "absent_list": [{"name": "…"}],
        "agenda": ["…"],
        "summary": ["…"],
        "conclusion": ["…"],
        "speakers": [{"name": "…", "opinion": "…"}],
        "votes": [{"subject": "…", "for": 0, "against": 0, "abstain": 0, "base": 0, "result": "…"}],
    },
)  # fmt: skip


def try_template(data: bytes) -> str | None:
    """None when an uploaded template passes the check and renders with a sample context, else why not."""
    try:
        templating.render_docx(data, SCHEMA, templating.sample_context(SCHEMA))
    except templating.TemplateRefused as e:
        return e.message
    except Exception as e:  # noqa: BLE001 — a broken upload must be refused, whatever broke in it
        return e.__class__.__name__
    return None
