"""The default dossier catalogues shipped with Dangvu, as data (loaded by migration 0002, editable after).

No published catalogue was found (rules.md §7: the Văn Bàn model is known only by its counts), so these lists
are assembled from the records the rules name: the resolution and minutes books, the member register
(Mẫu 7-HSĐV), the four file registers, the sympathiser list, the dues book, working regulations, inspection and
supervision plans and records, yearly evaluation files, meeting schedules and reports, documents issued and
received. Each family matches the seed model's size: a commune committee keeps 48 kinds, a grassroots
committee of an agency 35, a cell of an agency or public-service unit 17, a village cell 12. A committee loads
its own exact list with the Excel import.
"""

Y, T, P = "year", "term", "permanent"
NUM, DATE, SIGN = "number", "issued_on", "signer"
BOOK = [DATE, SIGN]  # a book: opened on, kept by
DOC = [NUM, DATE]  # a document: number and date
V20, V10, V5, FOREVER = "20 năm", "10 năm", "5 năm", "Vĩnh viễn"

# code, name, field, keeping, required metadata, link kind, form, retention, families
# Families: C commune committee (48), A grassroots committee of an agency or unit (35),
#           S cell of an agency or public-service unit (17), V village or residential cell (12).
TYPES = [
    ("TC01", "Sổ danh sách đảng viên", "to-chuc", P, BOOK, "register", "Mẫu 7-HSĐV", FOREVER, "CASV"),
    ("TC02", "Sổ nghị quyết", "to-chuc", T, BOOK, "minutes", "", FOREVER, "CASV"),
    (
        "TC03",
        "Sổ biên bản sinh hoạt chi bộ, hội nghị cấp ủy",
        "to-chuc",
        Y,
        BOOK,
        "minutes",
        "",
        FOREVER,
        "CASV",
    ),
    ("TC04", "Sổ đăng ký hồ sơ đảng viên", "to-chuc", P, BOOK, "", "", FOREVER, "CA"),
    ("TC05", "Sổ theo dõi giao nhận hồ sơ đảng viên", "to-chuc", P, BOOK, "", "", FOREVER, "CA"),
    ("TC06", "Sổ theo dõi khai thác, sử dụng hồ sơ đảng viên", "to-chuc", P, BOOK, "", "", FOREVER, "CA"),
    ("TC07", "Sổ theo dõi bổ sung hồ sơ đảng viên", "to-chuc", P, BOOK, "", "", FOREVER, "CA"),
    ("TC08", "Danh sách quần chúng cảm tình Đảng", "to-chuc", Y, [DATE], "", "", V5, "CASV"),
    ("TC09", "Hồ sơ kết nạp đảng viên", "to-chuc", Y, [], "", "Mẫu 1-KNĐ đến 12-KNĐ", FOREVER, "CA"),
    (
        "TC10",
        "Hồ sơ công nhận đảng viên chính thức",
        "to-chuc",
        Y,
        [],
        "",
        "Mẫu 10-KNĐ, 11-KNĐ",
        FOREVER,
        "CA",
    ),
    ("TC11", "Hồ sơ chuyển sinh hoạt đảng", "to-chuc", Y, [], "", "", V20, "CA"),
    ("TC12", "Hồ sơ miễn công tác và sinh hoạt đảng", "to-chuc", Y, [], "", "", V20, "CA"),
    ("TC13", "Quy chế làm việc của cấp ủy, chi bộ", "to-chuc", T, DOC, "", "", FOREVER, "CASV"),
    (
        "TC14",
        "Hồ sơ kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên",
        "to-chuc",
        Y,
        [],
        "",
        "Mẫu 01, 2A, 2B, 2C-HD KĐ.ĐG 2025",
        V20,
        "CASV",
    ),
    ("TC15", "Hồ sơ đại hội", "to-chuc", T, [], "", "HD 62-HD/VPTW", FOREVER, "CAS"),
    (
        "TC16",
        "Quyết định thành lập tổ chức đảng, chuẩn y cấp ủy",
        "to-chuc",
        P,
        DOC,
        "decision",
        "",
        FOREVER,
        "CAS",
    ),
    ("TC17", "Chương trình làm việc toàn khóa của cấp ủy", "to-chuc", T, DOC, "", "", FOREVER, "C"),
    ("TC18", "Hồ sơ quy hoạch cán bộ", "to-chuc", T, [], "", "", V20, "C"),
    ("TC19", "Hồ sơ phát thẻ đảng viên, đề nghị tặng Huy hiệu Đảng", "to-chuc", Y, [], "", "", V20, "C"),
    ("TC20", "Báo cáo thống kê đảng viên", "to-chuc", Y, DOC, "", "Biểu số 7-BTCTW", V20, "C"),
    ("KT01", "Chương trình, kế hoạch kiểm tra, giám sát năm", "kiem-tra", Y, DOC, "", "", V20, "CASV"),
    ("KT02", "Hồ sơ các cuộc kiểm tra, giám sát", "kiem-tra", Y, [], "", "", V20, "CAS"),
    ("KT03", "Hồ sơ thi hành kỷ luật đảng", "kiem-tra", Y, [], "", "", FOREVER, "CA"),
    ("KT04", "Hồ sơ giải quyết tố cáo, khiếu nại", "kiem-tra", Y, [], "", "", V20, "C"),
    ("KT05", "Sổ theo dõi kê khai tài sản, thu nhập", "kiem-tra", Y, BOOK, "", "", V20, "C"),
    ("KT06", "Biên bản, báo cáo của Ủy ban Kiểm tra", "kiem-tra", Y, [], "", "", V20, "CA"),
    ("KT07", "Quy chế làm việc của Ủy ban Kiểm tra", "kiem-tra", T, DOC, "", "", FOREVER, "C"),
    ("TG01", "Kế hoạch học tập, quán triệt nghị quyết", "tuyen-giao", Y, DOC, "", "", V10, "CASV"),
    (
        "TG02",
        "Hồ sơ học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "tuyen-giao",
        Y,
        [],
        "",
        "",
        V10,
        "CAS",
    ),
    ("TG03", "Sổ theo dõi tình hình tư tưởng, dư luận xã hội", "tuyen-giao", Y, BOOK, "", "", V10, "CA"),
    (
        "TG04",
        "Hồ sơ bồi dưỡng lý luận chính trị cho cán bộ, đảng viên",
        "tuyen-giao",
        Y,
        [],
        "",
        "",
        V10,
        "C",
    ),
    ("TG05", "Tài liệu sinh hoạt chuyên đề", "tuyen-giao", Y, [], "", "", V10, "CA"),
    ("DV01", "Kế hoạch công tác dân vận", "dan-van", Y, DOC, "", "", V10, "CASV"),
    ("DV02", "Quy chế dân chủ ở cơ sở", "dan-van", T, DOC, "", "", FOREVER, "CA"),
    ("DV03", "Hồ sơ lãnh đạo Mặt trận Tổ quốc và các đoàn thể", "dan-van", Y, [], "", "", V10, "CA"),
    ("DV04", "Hồ sơ tiếp công dân, đối thoại với nhân dân", "dan-van", Y, [], "", "", V10, "C"),
    ("VP01", "Sổ đăng ký văn bản đi", "van-phong", Y, BOOK, "", "", FOREVER, "CAS"),
    ("VP02", "Sổ đăng ký văn bản đến", "van-phong", Y, BOOK, "", "", FOREVER, "CA"),
    ("VP03", "Lịch sinh hoạt chi bộ đăng ký trước", "van-phong", Y, [], "", "", V5, "CSV"),
    ("VP04", "Báo cáo tháng, quý, năm", "van-phong", Y, [], "", "", V10, "CASV"),
    (
        "VP05",
        "Danh mục hồ sơ, mục lục hồ sơ lưu trữ",
        "van-phong",
        Y,
        [DATE],
        "",
        "HD 35-HD/VPTW",
        FOREVER,
        "CA",
    ),
    ("VP06", "Sổ theo dõi sử dụng con dấu", "van-phong", P, BOOK, "", "", V20, "C"),
    ("VP07", "Chương trình công tác năm của cấp ủy", "van-phong", Y, DOC, "", "", V10, "CA"),
    ("VP08", "Sổ ghi chép của cấp ủy, sổ tay bí thư", "van-phong", Y, BOOK, "", "", V10, "C"),
    ("TS01", "Sổ thu, nộp đảng phí", "tai-chinh", Y, BOOK, "", "", V10, "CASV"),
    (
        "TS02",
        "Dự toán, quyết toán kinh phí hoạt động của tổ chức đảng",
        "tai-chinh",
        Y,
        DOC,
        "",
        "",
        V10,
        "CA",
    ),
    ("TS03", "Sổ quỹ tiền mặt, sổ kế toán", "tai-chinh", Y, BOOK, "", "", V10, "CA"),
    ("TS04", "Sổ theo dõi tài sản", "tai-chinh", P, BOOK, "", "", V20, "C"),
]

# Which family each organisation type keeps (the province and centre keep their own, out of scope here).
FAMILIES = {
    "xa": "C",
    "dbcs-xa": "C",
    "huyen": "C",
    "khoi-truc-thuoc-tinh": "A",
    "dbcs-co-quan": "A",
    "dbcs-su-nghiep": "A",
    "dbcs-doanh-nghiep": "A",
    "dbcs-lltvt": "A",
    "dang-uy-bo-phan": "A",
    "cbcs-co-quan": "S",
    "cbcs-su-nghiep": "S",
    "cbcs-doanh-nghiep": "S",
    "cbcs-lltvt": "S",
    "cbtt-co-quan": "S",
    "cbtt-su-nghiep": "S",
    "cbtt-doanh-nghiep": "S",
    "cbtt-lltvt": "S",
    "cbcs-thon": "V",
    "cbtt-thon": "V",
}
YEAR = 2020
NOTE = "Danh mục mặc định của Dangvu, tổng hợp từ các sổ sách, hồ sơ mà quy định nêu (rules.md §7)"


def types_of(family: str) -> list[tuple]:
    return [t for t in TYPES if family in t[-1]]
