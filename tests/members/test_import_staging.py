"""An import's uploaded file is kept only while it waits for confirmation: removed when confirmed, abandoned,
refused, or a day old; the token is the uploader's own."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from dangvu.core import staging
from dangvu.core.models import StagedFile
from dangvu.members.models import Member
from tests.members.imports import step, token_in

pytestmark = pytest.mark.django_db


def register(*names) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng"])
    for i, n in enumerate(names, start=1):
        wb.active.append([i, n, "Nam", "01/02/1980", "03/02/2010"])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ds.xlsx", buf.getvalue())


def staged_files(settings) -> list:
    d = settings.MEDIA_ROOT / "staged"
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def preview(client, *names) -> str:
    return token_in(step(client, "C1-T1", {"file": register(*names)}).content.decode())


def test_confirming_removes_the_file(client, admin_user, tree, settings, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    token = preview(client, "Lò Văn Sáng")
    assert len(staged_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        r = step(client, "C1-T1", {"token": token})
    assert "Đã nhập 1 đảng viên mới" in r.content.decode() and Member.objects.count() == 1
    assert staged_files(settings) == [] and StagedFile.objects.get().state == "done"
    r = client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token}, follow=True)
    assert "Tệp này đã được nhập rồi" in r.content.decode() and Member.objects.count() == 1


def test_abandoning_removes_the_file_and_writes_nothing(client, admin_user, tree, settings,
                                                      django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    token = preview(client, "Lò Văn Sáng")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token, "abandon": "1"},
                        follow=True)
    assert "Đã hủy; tệp tải lên đã được xóa" in r.content.decode()
    assert staged_files(settings) == [] and Member.objects.count() == 0
    assert StagedFile.objects.get().state == "abandoned"


def test_a_refused_file_is_not_kept(client, admin_user, tree, settings, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = step(client, "C1-T1", {"file": SimpleUploadedFile("x.xlsx", b"no")})
    assert "không đọc được" in r.content.decode()
    assert staged_files(settings) == []


def test_another_users_token_is_not_found(client, admin_user, tree, django_user_model):
    from dangvu.accounts import services as asvc

    client.force_login(admin_user)
    token = preview(client, "Lò Văn Sáng")
    other = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=other, organisation=tree["C1-T1"], role="secretary", by=None)
    client.force_login(other)
    assert client.post("/members/import/?org=C1-T1", {"org": "C1-T1", "token": token}).status_code == 404
    assert Member.objects.count() == 0


def test_cleanup_removes_what_waited_more_than_a_day(admin_user, tree, settings):
    old = staging.stage(user=admin_user, kind="members.import", scope="C1-T1", upload=register("A"))
    new = staging.stage(user=admin_user, kind="members.import", scope="C1-T1", upload=register("B"))
    StagedFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    orphan = settings.MEDIA_ROOT / "staged" / "leftover.xlsx"
    orphan.write_bytes(b"x")
    import os

    past = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(orphan, (past, past))
    out = io.StringIO()
    call_command("cleanup_uploads", stdout=out)
    assert "Đã xóa 2 tệp" in out.getvalue()
    assert staged_files(settings) == [staging.path_of(new).name]
    assert StagedFile.objects.get(pk=old.pk).state == "expired"
