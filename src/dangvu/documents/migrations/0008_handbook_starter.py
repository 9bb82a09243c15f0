"""The starter pages of the procedures handbook: the procedures the seed articles list (a commune's handbook of 11
procedures: establish, dissolve, merge, split an organisation, working regulations, assigning committee members…),
written from ../shared/domain/rules.md with their sources. A committee edits a starter page into its own; its
subtree reads it."""

from django.db import migrations

from dangvu.core.text import search_key

SOURCES = "Nguồn: Quy định 294-QĐ/TW (26/5/2025), Hướng dẫn 06-HD/TW (09/6/2025)"
PAGES = [
    ("thanh-lap-to-chuc-dang", "Thành lập tổ chức đảng", f"""
1. **Đề nghị**: tổ chức đảng cấp dưới (hoặc chi bộ, đảng bộ cơ sở liên quan) có tờ trình, nêu lý do, số đảng viên
   chính thức, nơi sinh hoạt; đảng bộ, chi bộ cơ sở phải có từ 3 đảng viên chính thức trở lên.
2. **Thẩm định**: ban tổ chức (văn phòng) của cấp ủy có thẩm quyền thẩm định hồ sơ.
3. **Quyết định**: cấp ủy cấp trên trực tiếp ra quyết định thành lập, chỉ định cấp ủy lâm thời (bí thư, phó bí thư) đến
   đại hội.
4. **Ghi vào Đảng vụ**: mục *Quyết định về tổ chức* → *Thành lập*; ghi số quyết định, ngày hiệu lực; chuyển sinh hoạt
   đảng viên về tổ chức mới.
5. **Hồ sơ**: lưu quyết định, tờ trình, danh sách đảng viên vào hồ sơ của tổ chức mới.

{SOURCES}; Điều lệ Đảng, Điều 21–22.
"""),
    ("giai-the-to-chuc-dang", "Giải thể tổ chức đảng", f"""
1. Tổ chức đảng không còn đủ điều kiện hoạt động (đơn vị giải thể, không còn đảng viên) hoặc bị kỷ luật giải tán.
2. Cấp ủy cấp trên có thẩm quyền ra quyết định giải thể; nêu nơi chuyển đến của từng đảng viên.
3. **Ghi vào Đảng vụ**: *Quyết định về tổ chức* → *Giải thể*; đảng viên phải được chuyển sinh hoạt trước ngày giải thể.
4. Hồ sơ, con dấu (nếu có) bàn giao cho cấp ủy cấp trên lưu trữ.

{SOURCES}.
"""),
    ("hop-nhat-sap-nhap", "Hợp nhất, sáp nhập tổ chức đảng", f"""
1. Cấp ủy cấp trên xây dựng đề án, lấy ý kiến các tổ chức đảng liên quan.
2. Ra quyết định hợp nhất (lập tổ chức mới) hoặc sáp nhập (nhập vào tổ chức có sẵn); chỉ định cấp ủy lâm thời.
3. **Ghi vào Đảng vụ**: *Quyết định về tổ chức* → *Hợp nhất*: chọn các tổ chức nguồn và tổ chức đích; đảng viên,
   hồ sơ, lịch sinh hoạt và số văn bản chuyển theo trong một lần ghi.
4. Số thứ tự đại hội của tổ chức hợp nhất **nối tiếp** số của các tổ chức cũ (hướng dẫn năm 2025); tổ chức thành lập
   mới hoặc chia tách thì tính từ lần thứ nhất.

{SOURCES}.
"""),
    ("chia-tach-to-chuc-dang", "Chia tách tổ chức đảng", f"""
1. Cấp ủy cấp trên quyết định chia một tổ chức đảng thành các tổ chức mới; nêu danh sách đảng viên về từng tổ chức.
2. **Ghi vào Đảng vụ**: *Quyết định về tổ chức* → *Chia tách*: mỗi đảng viên phải có tổ chức đích.
3. Tổ chức mới bắt đầu nhiệm kỳ, số đại hội và số văn bản của mình từ 01.

{SOURCES}.
"""),
    ("quy-che-lam-viec", "Xây dựng quy chế làm việc", """
1. Bí thư giao một cấp ủy viên dự thảo quy chế làm việc theo quy chế mẫu (QĐ 363-QĐ/TW ngày 30/8/2025 cho chi bộ
   cơ quan đảng và chi bộ Ủy ban nhân dân xã; các chi bộ phải ban hành trước 30/9/2025).
2. Quy chế nêu: trách nhiệm, quyền hạn của chi bộ, chi ủy, bí thư; chế độ họp (chi ủy, chi bộ họp thường kỳ hằng
   tháng); chế độ báo cáo; quan hệ công tác.
3. Chi bộ thảo luận, biểu quyết thông qua; ban hành với ký hiệu **QC** (ví dụ `01-QC/CB`) — lấy số ở *Văn bản* →
   *Văn bản đi*.
4. Gửi cấp ủy cấp trên để theo dõi; rà soát, sửa đổi khi có quy định mới.

Nguồn: QĐ 363-QĐ/TW (30/8/2025); thẩm quyền ban hành quy chế theo QĐ 399-QĐ/TW (09/01/2026).
"""),
    ("phan-cong-cap-uy-vien", "Phân công nhiệm vụ cấp ủy viên", f"""
1. Sau đại hội (hoặc khi kiện toàn), cấp ủy họp phiên thứ nhất, bầu bí thư, phó bí thư (ban thường vụ, ủy ban kiểm
   tra nếu có).
2. Ra văn bản phân công từng cấp ủy viên phụ trách lĩnh vực và **theo dõi chi bộ** trực thuộc.
3. **Ghi vào Đảng vụ**: *Tổ chức đảng* → *Cấp ủy*: ghi nhiệm kỳ (kèm số thứ tự đại hội), bầu chức danh, phân công
   cấp ủy viên theo dõi chi bộ.
4. Chi bộ có dưới 9 đảng viên chính thức chỉ bầu bí thư và phó bí thư, không bầu chi ủy.

{SOURCES}; Điều lệ Đảng.
"""),
    ("sinh-hoat-chi-bo", "Chuẩn bị và tổ chức sinh hoạt chi bộ", """
1. Bí thư giao phó bí thư hoặc chi ủy viên chuẩn bị nội dung, dự thảo nghị quyết.
2. Chi ủy họp (nơi không có chi ủy thì bí thư, phó bí thư): thống nhất nội dung, đánh giá kết quả tháng trước, đề ra
   nhiệm vụ tháng tới.
3. Thông báo thời gian, địa điểm, nội dung tới đảng viên và **cấp ủy viên cấp trên theo dõi chi bộ**; đưa tài liệu lên
   Sổ tay đảng viên điện tử **ít nhất 1 ngày** trước buổi sinh hoạt.
4. Sinh hoạt đúng trình tự; thời lượng tối thiểu 90 phút; biểu quyết nghị quyết; ghi biên bản.
5. **Ghi vào Đảng vụ**: *Sinh hoạt chi bộ*: đăng ký lịch, gửi thông báo, điểm danh, biểu quyết, hoàn tất biên bản
   (lấy số), báo cáo tháng.

Nguồn: Chỉ thị 50-CT/TW (23/7/2025), Hướng dẫn 42-HD/BTCTW (28/10/2025).
"""),
    ("ket-nap-dang-vien", "Kết nạp đảng viên", f"""
1. Chi bộ lập danh sách quần chúng ưu tú, phân công đảng viên giúp đỡ; cử đi học lớp nhận thức về Đảng
   (giấy chứng nhận có giá trị 60 tháng).
2. Người vào Đảng làm đơn (Mẫu 1-KNĐ), lý lịch (Mẫu 2-KNĐ); chi bộ thẩm tra lý lịch.
3. Giấy giới thiệu (3-KNĐ), nghị quyết giới thiệu của đoàn thể (4-KNĐ), tổng hợp ý kiến nơi cư trú (5-KNĐ).
4. Chi bộ xét, nghị quyết đề nghị kết nạp (6-KNĐ): cần **ít nhất 2/3 đảng viên chính thức** tán thành.
5. Đảng ủy cơ sở xét (8-KNĐ); cấp ủy có thẩm quyền quyết định (9-KNĐ) trong **60 ngày làm việc**.
6. Tổ chức lễ kết nạp trong **30 ngày làm việc** kể từ khi nhận quyết định.
7. **Ghi vào Đảng vụ**: *Phát triển đảng viên*: mỗi bước, hạn, biểu quyết và giấy tờ của hồ sơ.

{SOURCES}; Hướng dẫn 12-HD/BTCTW (2022).
"""),
    ("chuyen-sinh-hoat-dang", "Chuyển sinh hoạt đảng", f"""
1. Chuyển sinh hoạt **chính thức** (đổi công tác, nghỉ hưu, thay đổi nơi cư trú lâu dài): làm thủ tục trong **60 ngày
   làm việc** kể từ ngày quyết định có hiệu lực hoặc chuyển nơi ở.
2. Đảng viên nộp giấy giới thiệu cho chi ủy nơi đến trong **30 ngày làm việc**.
3. Chuyển sinh hoạt **tạm thời** (3 tháng đến dưới 1 năm; đi học 3 tháng đến 2 năm): không tính vào đảng số nơi
   sinh hoạt tạm thời.
4. **Ghi vào Đảng vụ**: *Đảng viên* → *Chuyển sinh hoạt*: nơi đi lập giấy, nơi đến tiếp nhận; hồ sơ đảng viên chuyển
   theo.

{SOURCES}.
"""),
    ("van-thu-so-van-ban", "Đăng ký, đánh số văn bản", """
1. Văn bản của cấp ủy, chi bộ đánh số **từ 01 theo từng loại** trong nhiệm kỳ; văn bản của đại hội đánh một dãy số
   chung. Số và ký hiệu viết `Số 01-BC/CB` (không viết kiểu nhà nước `01/BC-CB`).
2. Số đã cấp **không dùng lại**: văn bản thu hồi được ghi hủy và giữ số.
3. Chi bộ không được ban hành một số loại văn bản (theo quy định về thể loại, thẩm quyền ban hành).
4. Văn bản đến vào sổ văn bản đến theo số đến; văn bản mật chỉ truyền trên mạng thông tin diện rộng của Đảng.
5. **Ghi vào Đảng vụ**: *Văn bản* → *Văn bản đi* (lấy số), *Văn bản đến* (vào sổ), *Gửi xuống cấp dưới*.

Nguồn: Hướng dẫn 36-HD/VPTW (2018); QĐ 399-QĐ/TW (09/01/2026); QĐ 693-QĐ/VPTW (2021).
"""),
]


def load(apps, schema_editor=None):
    Page = apps.get_model("documents", "HandbookPage")
    Version = apps.get_model("documents", "HandbookVersion")
    for slug, title, body in PAGES:
        page, created = Page.objects.get_or_create(organisation=None, slug=slug, defaults={
            "title": title, "body": body.strip(), "search_text": search_key(f"{title} {body}")})
        if created:
            Version.objects.create(page=page, version=1, title=title, body=page.body, note="Trang khởi đầu")


def drop(apps, schema_editor):
    apps.get_model("documents", "HandbookPage").objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_handbook")]
    operations = [migrations.RunPython(load, drop)]
