"""`/healthz`: what a load balancer or a monitor asks. The database, the read replica (if any), the storage and
the job queue, each "ok" or why not; 200 when the app can serve, 503 when it cannot (the database or the storage
is down, or jobs wait for more than five minutes with no worker alive). A replica that is down is reported, not
fatal: the app then reads from the primary. No login needed; no detail beyond an error's class name."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _db(alias: str) -> str:
    try:
        with connections[alias].cursor() as c:
            c.execute("SELECT 1")
            c.fetchone()
        return "ok"
    except Exception as e:  # noqa: BLE001 — any failure is an answer here
        return f"lỗi: {e.__class__.__name__}"


@never_cache
@require_safe
def healthz(request):
    from dangvu.core import replica
    from dangvu.jobs.services import queue_health

    checks: dict = {"database": _db("default")}
    checks["replica"] = ("ok" if replica.available(force=True) else "ngừng (đọc từ máy chính)") \
        if replica.configured() else "không dùng"  # fmt: skip
    try:
        default_storage.exists("healthz-probe")  # a round trip to the store (a HEAD on S3)
        checks["storage"] = "ok"
    except Exception as e:  # noqa: BLE001
        checks["storage"] = f"lỗi: {e.__class__.__name__}"
    try:
        checks["queue"] = queue_health() if checks["database"] == "ok" else {"ok": False}
    except Exception as e:  # noqa: BLE001
        checks["queue"] = {"ok": False, "error": e.__class__.__name__}
    ok = checks["database"] == "ok" and checks["storage"] == "ok" and checks["queue"].get("ok", False)
    checks["status"] = "ok" if ok else "lỗi"
    checks["version"] = getattr(settings, "DANGVU_VERSION", "")
    return JsonResponse(checks, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
