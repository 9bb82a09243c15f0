"""A corpus of what committee registers hold (people's names, places, register words) and the legacy encoders
that turn it into what old spreadsheets carry: TCVN3 through glibc iconv (TCVN5712-1), VNI through its layout,
each in mixed case and in the all-caps fonts' way. Used by test_legacy.py to measure `core.legacy`."""

from __future__ import annotations

import random
import subprocess
import unicodedata

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Lò", "Giàng", "Vàng", "Sùng", "Thào", "Lầu", "Hà", "Đinh", "Triệu", "Nông", "Lục", "Quàng",
          "Tòng", "Cầm", "Mùa", "Hờ", "Lường", "Đào", "Trương", "Tạ", "Khổng", "Chu", "Mạc", "Đoàn"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Quang", "Thành", "Xuân", "Ngọc", "Thu", "Hồng", "Thanh", "Kim",
          "Mạnh", "Tiến", "A", "Seo", "Mí", "Thế", "Công", "Bích", "Diệu", "Phương", "Khánh"]  # fmt: skip
GIVEN = ["Đức", "Hòa", "An", "Dũng", "Ánh", "Hương", "Bình", "Cường", "Hùng", "Lan", "Mai", "Ngọc", "Phúc", "Quyết",
         "Sơn", "Thắng", "Tuấn", "Vinh", "Yến", "Páo", "Mỷ", "Chứ", "Dế", "Sình", "Pó", "Nủ", "Tráng", "Lềnh",
         "Khuyên", "Nguyệt", "Thủy", "Trường", "Quỳnh", "Hiếu", "Nghĩa", "Đạt", "Lực", "Hạnh", "Thảo", "Giang",
         "Huyền", "Loan", "Oanh", "Tường", "Uyên", "Việt", "Xuyến", "Ưng", "Ẩn", "Ước"]  # fmt: skip
PLACES = ["Khánh Yên", "Văn Bàn", "Lào Cai", "Sa Pa", "Bắc Hà", "Mường Khương", "Si Ma Cai", "Bảo Thắng",
          "Bảo Yên", "Bát Xát", "Võ Lao", "Dương Quỳ", "Nậm Chày", "Thẩm Dương", "Hòa Mạc", "Liêm Phú", "Nậm Tha",
          "Chiềng Ken", "Làng Giàng", "Tân Thượng", "Sơn Thủy", "Minh Lương", "Nà Lộc", "Đồng Tâm", "Khe Bàn",
          "Bản Mạ", "Thôn Chiềng", "Tổ dân phố số 3", "Bắc Giang", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình",
          "Thừa Thiên Huế", "Đà Nẵng", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Đắk Lắk", "Lâm Đồng",
          "Đồng Tháp", "Cần Thơ", "Sìn Hồ", "Lai Châu", "Điện Biên", "Sơn La", "Yên Bái", "Tuyên Quang", "Hà Giang",
          "Cao Bằng", "Lạng Sơn", "Thái Nguyên", "Phú Thọ", "Vĩnh Phúc", "Hưng Yên", "Hải Dương", "Ninh Bình",
          "Nam Định", "Thái Bình", "Quảng Ninh", "Hải Phòng", "Hà Nội", "Mù Cang Chải", "Trạm Tấu", "Lục Yên",
          "Xã Khánh Yên Hạ, huyện Văn Bàn", "Phường Kim Tân, thành phố Lào Cai", "Thị trấn Phố Ràng"]  # fmt: skip
WORDS = ["Đại học", "Cao đẳng", "Trung cấp", "Sơ cấp", "Thạc sĩ", "Tiến sĩ", "Cao cấp lý luận chính trị",
         "Trung cấp lý luận chính trị", "Cử nhân chính trị", "Bí thư chi bộ", "Phó bí thư", "Chi ủy viên",
         "Đảng ủy viên", "Chủ tịch Ủy ban nhân dân xã", "Trưởng thôn", "Công an viên", "Giáo viên", "Bác sĩ",
         "Y sĩ", "Nông dân", "Hưu trí", "Cựu chiến binh", "Bộ đội", "Kỹ sư nông nghiệp", "Cán bộ văn phòng",
         "Kế toán", "Thủ quỹ", "Chính thức", "Dự bị", "Miễn sinh hoạt", "Chuyển đi", "Chuyển đến", "Từ trần",
         "Xóa tên", "Khai trừ", "Kinh", "Tày", "Thái", "Mường", "Mông", "Dao", "Nùng", "Giáy", "Phù Lá", "Xá Phó",
         "Không", "Phật giáo", "Công giáo", "Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ",
         "Không hoàn thành nhiệm vụ", "Tiếng Anh trình độ B", "Tin học văn phòng", "Chi bộ thôn Nà Lộc",
         "Đảng bộ xã Khánh Yên", "Sinh hoạt chi bộ thường kỳ", "Nghị quyết tháng", "Biên bản họp chi bộ",
         "Sổ danh sách đảng viên", "Hồ sơ đảng viên", "Quyết định kết nạp"]  # fmt: skip


def corpus() -> list[str]:
    """230 strings: 100 people's names (family, middle, given) chosen deterministically, every place and word."""
    rng = random.Random(5712)
    names = []
    while len(names) < 100:
        n = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if n not in names:
            names.append(n)
    return names + PLACES + WORDS


def _cell(data: bytes) -> str:
    """Bytes as a cell holds them: read through Windows-1252, the undefined bytes as their raw code point."""
    return "".join(bytes([b]).decode("cp1252", errors="strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                   else chr(b) for b in data)  # fmt: skip


def tcvn3(text: str) -> str:
    """Encoded by glibc iconv as TCVN5712-1 (precomposed letters where TCVN3 has them)."""
    out = subprocess.run(["/usr/bin/iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True,
                         check=True).stdout  # fmt: skip
    return _cell(out)


def tcvn3_caps(text: str) -> str:
    """What .VnTimeH (the all-caps font) keeps: plain letters in capitals, marked letters as lowercase codes
    (the font draws them as capitals); half the words keep the seven capitals TCVN3 has (Ă Â Ê Ô Ơ Ư Đ)."""
    words = []
    for i, w in enumerate(text.split(" ")):
        chars = []
        for c in w:
            if c.isascii() or i % 2 and c.upper() in "ĂÂÊÔƠƯĐ":
                chars.append(c.upper())
            else:
                chars.append(c.lower())
        words.append("".join(chars))
    return tcvn3(" ".join(words))


_VNI_SINGLE = {"đ": "ñ", "Đ": "Ñ", "ư": "ö", "Ư": "Ö", "ơ": "ô", "Ơ": "Ô", "ỉ": "æ", "Ỉ": "Æ", "ĩ": "ó",
               "Ĩ": "Ó", "ị": "ò", "Ị": "Ò", "ỵ": "î", "Ỵ": "Î", "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì"}  # fmt: skip
_VNI_MARK = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï", "\u0302": "â",
             "\u0302\u0301": "á", "\u0302\u0300": "à", "\u0302\u0309": "å", "\u0302\u0303": "ã", "\u0302\u0323": "ä",
             "\u0306": "ê", "\u0306\u0301": "é", "\u0306\u0300": "è", "\u0306\u0309": "ú", "\u0306\u0303": "ü",
             "\u0306\u0323": "ë"}  # fmt: skip


def vni(text: str) -> str:
    """The VNI Windows layout: a base letter, then one byte for its marks (a capital's marks in capitals)."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c in _VNI_SINGLE:
            out.append(_VNI_SINGLE[c])
            continue
        d = unicodedata.normalize("NFD", c)
        base, marks = d[0], d[1:]
        horn = "\u031b" in marks  # ơ, ư with a tone
        marks = marks.replace("\u031b", "")
        if horn:
            base = _VNI_SINGLE[unicodedata.normalize("NFC", base + "\u031b")]
        if not marks:
            out.append(base)
            continue
        hat = "".join(m for m in marks if m in "\u0302\u0306")  # NFD puts a dot below before the hat
        mark = _VNI_MARK[hat + "".join(m for m in marks if m not in "\u0302\u0306")]
        out.append(base + (mark.upper() if c.isupper() else mark))
    return "".join(out)


def vni_caps(text: str) -> str:
    """VNI typed in capitals with a caps font: plain letters in capitals, the VNI codes in lowercase."""
    return "".join(c.upper() if c.isascii() else c.lower() for c in vni(text.upper()))
