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

from dangvu.core import templating
from dangvu.core.docx_layout import header, new_document, para, signature_block

DIR = Path(__file__).resolve().parent / "docx"


def _header(doc, type_name: str, subject: str) -> None:
    header(doc, superior="{{ superior }}", issuer="{{ issuer }}", number="Số {{ number }}",
           place_date="{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", type_name=type_name,
           subject=subject)  # fmt: skip


def _loop(doc, var: str, items: str, text: str, **kw) -> None:
    para(doc, f"{{%p for {var} in {items} %}}")
    para(doc, text, **kw)
    para(doc, "{%p endfor %}")


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
        "Biểu quyết «{{ v.subject }}»: {{ v.for }}/{{ v.base }} đảng viên tán thành, {{ v.against }} không tán "
        "thành, {{ v.abstain }} không biểu quyết ({{ v.result }}).",
        align="justify",
        indent=True,
    )
    signature_block(doc, "", "", ["T/M CHI BỘ", "BÍ THƯ"], "{{ secretary }}",
                    receivers=["- Cấp ủy cấp trên (báo cáo),", "- Đảng viên trong chi bộ,", "- Lưu chi bộ."])
    return doc


def build_body_minutes() -> Document:
    """The minutes of a collective body's meeting (cell committee, executive or standing committee, inspection
    commission): its members, not the cell's register, are summoned."""
    doc = new_document()
    _header(doc, "BIÊN BẢN", "{{ subject }}")
    para(doc, "Thời gian: bắt đầu lúc {{ started }}, ngày {{ date }}.", align="justify", indent=True)
    para(doc, "Địa điểm: {{ venue }}.", align="justify", indent=True)
    para(doc, "Chủ trì: đồng chí {{ chair }}. Thư ký: đồng chí {{ minute_taker }}.", align="justify", indent=True)
    para(doc, "Khách mời: {{ guests }}.", align="justify", indent=True)
    para(doc, "I. THÀNH VIÊN DỰ HỌP", bold=True)
    para(doc, "Tổng số thành viên {{ collective }}: {{ a.expected }}. Có mặt: {{ a.present }} đồng chí ({{ a.rate }}); "
              "vắng có lý do: {{ a.excused }}; vắng không lý do: {{ a.absent }}.", align="justify", indent=True)  # fmt: skip
    _loop(doc, "x", "excused_list", "- Vắng có lý do: {{ x.name }} ({{ x.reason }}).", indent=True)
    _loop(doc, "x", "absent_list", "- Vắng không lý do: {{ x.name }}.", indent=True)
    para(doc, "II. NỘI DUNG", bold=True)
    _loop(doc, "line", "agenda", "{{ line }}", indent=True)
    _loop(doc, "line", "summary", "{{ line }}", align="justify", indent=True)
    para(doc, "III. Ý KIẾN THẢO LUẬN", bold=True)
    _loop(doc, "s", "speakers", "- Đồng chí {{ s.name }}: {{ s.opinion }}", align="justify", indent=True)
    para(doc, "IV. KẾT LUẬN VÀ BIỂU QUYẾT", bold=True)
    _loop(doc, "line", "conclusion", "{{ line }}", align="justify", indent=True)
    _loop(doc, "v", "votes", "- Biểu quyết «{{ v.subject }}»: tán thành {{ v.for }}, không tán thành {{ v.against }}, "
                             "không biểu quyết {{ v.abstain }} trên {{ v.base }} thành viên ({{ v.result }}).",
          align="justify", indent=True)  # fmt: skip
    para(doc, "Cuộc họp kết thúc lúc {{ ended }} cùng ngày; biên bản đã được thông qua tại cuộc họp.",
         align="justify", indent=True)  # fmt: skip
    signature_block(doc, "THƯ KÝ", "{{ minute_taker }}", ["{{ on_behalf }}", "{{ chair_title }}"], "{{ chair }}")
    return doc


def build_body_resolution() -> Document:
    doc = new_document()
    _header(doc, "NGHỊ QUYẾT", "{{ subject }}")
    para(doc, "Căn cứ Điều lệ Đảng Cộng sản Việt Nam và quy chế làm việc; căn cứ kết quả cuộc họp {{ collective }} "
              "ngày {{ date }} ({{ a.present }}/{{ a.expected }} thành viên dự họp),", italic=True, align="justify",
         indent=True)  # fmt: skip
    para(doc, "{{ collective_upper }} QUYẾT NGHỊ:", bold=True, align="center")
    _loop(doc, "line", "conclusion", "{{ line }}", align="justify", indent=True)
    _loop(doc, "v", "votes", "Biểu quyết «{{ v.subject }}»: {{ v.for }}/{{ v.base }} thành viên tán thành, "
                             "{{ v.against }} không tán thành, {{ v.abstain }} không biểu quyết ({{ v.result }}).",
          align="justify", indent=True)  # fmt: skip
    signature_block(doc, "", "", ["{{ on_behalf }}", "{{ signer_title }}"], "{{ secretary }}",
                    receivers=["- Cấp ủy cấp trên (báo cáo),", "- Các thành viên,", "- Lưu văn phòng."])
    return doc


BUILDERS = (("minutes.docx", build_minutes), ("resolution.docx", build_resolution),
            ("body-minutes.docx", build_body_minutes), ("body-resolution.docx", build_body_resolution))  # fmt: skip


def build_all(target: Path = DIR) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for name, builder in BUILDERS:
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
                            "started", "ended", "chair", "chair_title", "minute_taker", "secretary", "guests",
                            "collective", "collective_upper", "on_behalf", "signer_title")},
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
