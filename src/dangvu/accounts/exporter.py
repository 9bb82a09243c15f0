"""The audit log as Excel, for inspectors: one row per entry, streamed (write-only workbook)."""

from __future__ import annotations

import json

from django.utils import timezone
from openpyxl.styles import Font

from dangvu.core import xlsx
from dangvu.core.templatetags.dangvu import object_type_name

ACTION_LABELS = {
    "login": "Đăng nhập",
    "login.failed": "Đăng nhập sai",
    "password.change": "Đổi mật khẩu",
    "otp.enrol": "Bật xác thực hai bước",
    "otp.failed": "Nhập sai mã xác thực",
    "otp.reset": "Hủy thiết bị xác thực",
    "token.create": "Tạo mã API",
    "token.revoke": "Thu hồi mã API",
    "user.create": "Tạo tài khoản",
    "user.create_refused": "Bị từ chối: tạo tài khoản",
    "grant.create": "Cấp quyền",
    "grant.end": "Thu hồi quyền",
    "grant.refused": "Bị từ chối: cấp quyền",
    "grant.end_refused": "Bị từ chối: thu hồi quyền",
    "access.denied": "Truy cập bị từ chối",
    "audit.export": "Xuất nhật ký",
    "member.view": "Xem lý lịch đảng viên",
    "member.export_register": "Xuất sổ danh sách đảng viên",
    "member.export_list": "Xuất danh sách đảng viên",
    "job.file_download": "Tải tệp kết quả của việc chạy nền",
    "job.file_corrupt": "Tệp kết quả của việc chạy nền bị thay đổi",
    "member.create": "Ghi đảng viên mới",
    "member.update": "Sửa lý lịch",
}

COLUMNS = [
    ("Thời gian", 19),
    ("Người thực hiện", 18),
    ("Địa chỉ IP", 15),
    ("Hành động", 26),
    ("Loại đối tượng", 20),
    ("Mã đối tượng", 12),
    ("Đối tượng", 30),
    ("Trước", 40),
    ("Sau", 40),
]


def _json(v) -> str:
    return "" if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)


def audit_xlsx(qs, *, progress=None):
    wb = xlsx.workbook(write_only=True)
    ws = wb.sheet("Nhật ký")
    ws.widths(w for _, w in COLUMNS)
    ws.append([ws.cell_of(h, font=Font(bold=True)) for h, _ in COLUMNS])
    n = 0
    tz = timezone.get_current_timezone()
    total = qs.count() if progress else None
    for e in qs.iterator(chunk_size=2000):
        n += 1
        if progress and n % 500 == 0:
            progress(n, total)
        ws.append(
            [
                e.at.astimezone(tz).replace(tzinfo=None),
                e.user.username if e.user_id else "",
                e.ip or "",
                ACTION_LABELS.get(e.action, e.action),
                object_type_name(e.object_type),
                e.object_id,
                e.object_repr,
                _json(e.before),
                _json(e.after),
            ]
        )
    return xlsx.save_temp(wb), n
