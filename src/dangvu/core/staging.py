"""Uploaded files held for a confirmation (an import's preview), used once, and never left behind."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .errors import Conflict, NotFound
from .models import StagedFile

ERR_USED = "Tệp này đã được nhập rồi (có thể do bấm xác nhận hai lần hoặc ở tab khác); không nhập lại."
ERR_GONE = "Tệp chờ xác nhận đã bị hủy hoặc quá hạn (sau một ngày); hãy tải tệp lên lại."
MAX_AGE = dt.timedelta(days=1)


def directory() -> Path:
    d = Path(settings.MEDIA_ROOT) / "staged"
    d.mkdir(parents=True, exist_ok=True)
    return d


def path_of(staged: StagedFile) -> Path:
    """Where it waits; the upload's own extension kept (readers such as openpyxl go by it), nothing else of its name."""
    suffix = Path(staged.name).suffix.lower()
    return directory() / (staged.token + (suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".bin"))


def stage(*, user, kind: str, scope: str, upload, options: dict | None = None) -> StagedFile:
    """Keep an upload until it is confirmed or abandoned."""
    staged = StagedFile(token=uuid.uuid4().hex, kind=kind, user=user, scope=scope, options=options or {},
                        name=(getattr(upload, "name", "") or "")[:255])  # fmt: skip
    with open(path_of(staged), "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    staged.save()
    return staged


def get(*, user, kind: str, token: str, scope: str) -> StagedFile:
    """The user's own staged file (404 for anyone else's, or another organisation's)."""
    staged = StagedFile.objects.filter(token=str(token)[:32], kind=kind, user=user, scope=scope).first()
    if staged is None:
        raise NotFound(token)
    return staged


def claim(staged: StagedFile) -> StagedFile:
    """Inside the caller's transaction: lock the row and check it is still waiting (Conflict otherwise). The
    caller does the work, then `finish`es it in the same transaction."""
    locked = StagedFile.objects.select_for_update().get(pk=staged.pk)
    if locked.state == StagedFile.State.DONE:
        raise Conflict(ERR_USED)
    if locked.state != StagedFile.State.PENDING or not path_of(locked).exists():
        raise Conflict(ERR_GONE)
    return locked


def finish(staged: StagedFile, state: str = StagedFile.State.DONE) -> None:
    """Mark it used or abandoned; the file is deleted once the transaction commits."""
    StagedFile.objects.filter(pk=staged.pk).update(state=state, finished_at=timezone.now())
    path = path_of(staged)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def abandon(staged: StagedFile) -> None:
    with transaction.atomic():
        locked = StagedFile.objects.select_for_update().get(pk=staged.pk)
        if locked.state == StagedFile.State.PENDING:
            finish(locked, StagedFile.State.ABANDONED)


def cleanup(now: dt.datetime | None = None) -> int:
    """Delete staged files older than a day (and any file on disk no row knows of); the number removed."""
    cutoff = (now or timezone.now()) - MAX_AGE
    n = 0
    for staged in StagedFile.objects.filter(state=StagedFile.State.PENDING, created_at__lt=cutoff):
        path_of(staged).unlink(missing_ok=True)
        StagedFile.objects.filter(pk=staged.pk).update(state=StagedFile.State.EXPIRED, finished_at=timezone.now())
        n += 1
    live = set(StagedFile.objects.filter(state=StagedFile.State.PENDING).values_list("token", flat=True))
    legacy = Path(settings.MEDIA_ROOT) / "imports"  # where previews were kept before StagedFile
    for d in (directory(), legacy):
        for f in d.iterdir() if d.is_dir() else ():
            if f.stem not in live and dt.datetime.fromtimestamp(f.stat().st_mtime, dt.UTC) < cutoff:
                f.unlink(missing_ok=True)
                n += 1
    return n
