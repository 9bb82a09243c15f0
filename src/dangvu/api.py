"""The JSON API root: /api/v1/ (OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs)."""

from dangvu.accounts.api_auth import AUTH
from dangvu.admission.api import router as admission_router
from dangvu.congresses.api import router as congresses_router
from dangvu.core.api import DangvuAPI, VietnameseJSONRenderer, install_handlers
from dangvu.documents.api import router as documents_router
from dangvu.dossiers.api import router as dossiers_router
from dangvu.dues.api import router as dues_router
from dangvu.evaluations.api import router as reviews_router
from dangvu.inspection.api import router as inspection_router
from dangvu.meetings.api import router as meetings_router
from dangvu.members.api import router as members_router
from dangvu.organizations.api import router as organisations_router
from dangvu.stats.api import router as stats_router

api = DangvuAPI(
    title="Dangvu API",
    version="1",
    description="API của Đảng vụ. Xác thực: phiên đăng nhập, hoặc `Authorization: Bearer <mã>` "
    "(tạo mã bằng `dangvu create_token USERNAME`).",
    urls_namespace="api",
    renderer=VietnameseJSONRenderer(),
    auth=AUTH,
)
install_handlers(api)
api.add_router("/organisations", organisations_router, tags=["Tổ chức đảng"])
api.add_router("/members", members_router, tags=["Đảng viên"])
api.add_router("/meetings", meetings_router, tags=["Sinh hoạt chi bộ"])
api.add_router("/dossiers", dossiers_router, tags=["Hồ sơ, sổ sách"])
api.add_router("/reviews", reviews_router, tags=["Đánh giá, xếp loại"])
api.add_router("/admission", admission_router, tags=["Phát triển đảng viên"])
api.add_router("/inspection", inspection_router, tags=["Kiểm tra, giám sát, kỷ luật"])
api.add_router("/documents", documents_router, tags=["Văn bản, sổ đăng ký"])
api.add_router("/congresses", congresses_router, tags=["Đại hội, bầu cử"])
api.add_router("/stats", stats_router, tags=["Thống kê"])
api.add_router("/dues", dues_router, tags=["Đảng phí"])
