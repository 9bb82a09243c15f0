"""Background jobs: a branch's export runs on the queue, shows its progress, and gives its file to its owner only;
a double click is one job; a job whose worker died is run again and gives the same bytes."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from dangvu.accounts.services import grant_create
from dangvu.core.models import AuditEntry
from dangvu.jobs import services as jobs
from dangvu.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, admin_user):
    client.force_login(admin_user)
    return client


def _rows(data: bytes):
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_register_export_runs_as_a_job_with_progress_and_a_download(web, people, work, admin_user):
    r = web.post("/members/export/register.xlsx?org=C1")
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert job.state == "queued" and DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    html = web.get(f"/jobs/{job.pk}/").content.decode()
    assert "Mẫu 7-HSĐV — Đảng bộ xã Khánh Yên" in html and "Đang chờ đến lượt" in html
    assert 'hx-trigger="every 1s"' in html  # the bar polls while the job is not finished
    work()
    job.refresh_from_db()
    assert job.state == "done" and job.rows == 5 and job.attempts == 1 and len(job.sha256) == 64
    fragment = web.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment and "Đã xong: 5 dòng" in fragment  # polling stops
    assert f"/jobs/{job.pk}/download/" in fragment
    r = web.get(f"/jobs/{job.pk}/download/")
    assert r["Content-Disposition"].startswith('attachment; filename="mau-7-hsdv-C1-')
    rows = _rows(b"".join(r.streaming_content))
    assert "SỔ DANH SÁCH ĐẢNG VIÊN" in rows[4]
    assert [x[1] for x in rows if x and isinstance(x[0], int)][:5] == [
        "Lò Văn An", "Phạm Minh Ánh", "Trần Thị Dung", "Nguyễn Văn Đức", "Đặng Thị Hòa"]  # fmt: skip
    assert AuditEntry.objects.filter(action="member.export_register", user=admin_user).count() == 1
    assert AuditEntry.objects.filter(action="job.file_download").count() == 1
    listing = web.get("/jobs/").content.decode()
    assert "Mẫu 7-HSĐV — Đảng bộ xã Khánh Yên" in listing and "Đã xong" in listing


def test_a_double_click_is_one_job_and_a_get_creates_none(web, people):
    assert web.get("/members/export/register.xlsx?org=C1").status_code == 405
    a = web.post("/members/export/register.xlsx?org=C1")["Location"]
    b = web.post("/members/export/register.xlsx?org=C1")["Location"]
    assert a == b and Job.objects.count() == 1 and DBTaskResult.objects.count() == 1
    web.post("/members/export/register.xlsx?org=C2")
    assert Job.objects.count() == 2  # other parameters, another job


def test_list_export_keeps_the_filters_of_the_page(web, people, work):
    r = web.post("/members/export/list.xlsx?org=C1&sex=nu&status=current")
    work()
    job = Job.objects.get(pk=int(r["Location"].split("/")[2]))
    assert job.state == "done" and job.params["sex"] == "nu"
    names = [x[1] for x in _rows(b"".join(web.get(f"/jobs/{job.pk}/download/").streaming_content))[1:]]
    assert "Đặng Thị Hòa" in names and "Nguyễn Văn Đức" not in names


def test_jobs_are_their_owners_only(client, web, people, tree, work, django_user_model):
    web.post("/members/export/register.xlsx?org=C1")
    work()
    job = Job.objects.get()
    other = django_user_model.objects.create_user("xem", password="x")
    grant_create(user=other, organisation=tree["C1"], role="viewer", by=None)
    client.force_login(other)
    for suffix in ("", "progress/", "download/"):
        assert client.get(f"/jobs/{job.pk}/{suffix}").status_code == 404
    assert "Mẫu 7-HSĐV" not in client.get("/jobs/").content.decode()
    # and an organisation outside the scope is refused before any job exists
    assert client.post("/members/export/register.xlsx?org=C2").status_code == 404
    assert Job.objects.count() == 1


def test_a_job_reads_through_its_owners_scope_at_run_time(client, people, tree, work, django_user_model):
    u = django_user_model.objects.create_user("bithu", password="x")
    g = grant_create(user=u, organisation=tree["C1"], role="viewer", by=None)
    client.force_login(u)
    client.post("/members/export/register.xlsx?org=C1")
    g.delete()  # the grant is withdrawn before the worker runs the job
    work()
    job = Job.objects.get()
    assert job.state == "failed" and "không còn quyền" in job.error and not job.file_name


def test_a_silent_worker_is_detected_and_the_job_runs_again_to_the_same_bytes(web, people, work, settings):
    web.post("/members/export/register.xlsx?org=C1")
    work()
    job = Job.objects.get()
    first = job.sha256
    # as if a worker had claimed the task and died: running, heartbeat a while ago
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat=timezone.now() - dt.timedelta(minutes=5),
                                         file_name="", sha256="")  # fmt: skip
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    assert jobs.recover_stale() == [job.pk]
    job.refresh_from_db()
    assert job.state == "queued" and "Chạy lại" in job.phase
    work()
    job.refresh_from_db()
    assert job.state == "done" and job.attempts == 2 and job.sha256 == first


def test_a_job_whose_worker_keeps_dying_fails_with_a_reason(web, people):
    web.post("/members/export/register.xlsx?org=C1")
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state="running", attempts=jobs.MAX_ATTEMPTS,
                                         heartbeat=timezone.now() - dt.timedelta(minutes=5))  # fmt: skip
    assert jobs.recover_stale() == []
    job.refresh_from_db()
    assert job.state == "failed" and "dừng giữa chừng 3 lần" in job.error
    assert "dừng giữa chừng" in web.get(f"/jobs/{job.pk}/progress/").content.decode()


def test_a_running_job_is_not_taken_for_dead(web, people):
    web.post("/members/export/register.xlsx?org=C1")
    Job.objects.update(state="running", heartbeat=timezone.now())
    assert jobs.recover_stale() == []


def test_a_changed_result_file_is_refused_and_logged(web, people, work):
    from django.core.files.storage import default_storage

    web.post("/members/export/register.xlsx?org=C1")
    work()
    job = Job.objects.get()
    with default_storage.open(job.file_name, "wb") as fh:
        fh.write(b"not the export")
    assert web.get(f"/jobs/{job.pk}/download/").status_code == 409
    assert AuditEntry.objects.filter(action="job.file_corrupt").count() == 1


def test_a_job_waiting_long_says_the_worker_may_not_run(web, people):
    web.post("/members/export/register.xlsx?org=C1")
    Job.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert (
        "máy chạy nền có thể đang bận hoặc chưa chạy"
        in web.get(f"/jobs/{Job.objects.get().pk}/").content.decode()
    )


def test_a_withdrawn_grant_closes_the_files_already_exported(client, people, tree, work, django_user_model):
    u = django_user_model.objects.create_user("xem2", password="x")
    g = grant_create(user=u, organisation=tree["C1"], role="viewer", by=None)
    client.force_login(u)
    client.post("/members/export/register.xlsx?org=C1")
    work()
    job = Job.objects.get()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    g.delete()
    for suffix in ("", "progress/", "download/"):
        assert client.get(f"/jobs/{job.pk}/{suffix}").status_code == 404


def test_one_user_cannot_fill_the_queue_or_the_params(web, people):
    for i in range(jobs.MAX_ACTIVE):
        web.post(f"/members/export/list.xlsx?org=C1&q=ten{i}")
    r = web.post("/members/export/list.xlsx?org=C1&q=mot-nua", follow=True)
    assert (
        Job.objects.count() == jobs.MAX_ACTIVE and "Đang có 5 việc chờ hoặc đang chạy" in r.content.decode()
    )
    Job.objects.update(state="done")
    web.post("/members/export/list.xlsx?org=C1&junk=" + "x" * 5000)  # a key the list does not know: dropped
    assert "junk" not in Job.objects.order_by("-pk").first().params
    r = web.post("/members/export/list.xlsx?org=C1&q=" + "x" * 300, follow=True)
    assert "Điều kiện lọc «q» quá dài" in r.content.decode()


def test_finished_jobs_are_purged_with_their_files_after_the_keeping_days(web, people, work):
    from django.core.files.storage import default_storage

    web.post("/members/export/register.xlsx?org=C1")
    work()
    job = Job.objects.get()
    assert default_storage.exists(job.file_name)
    assert jobs.purge(timezone.now() + dt.timedelta(days=6)) == 0
    assert jobs.purge(timezone.now() + dt.timedelta(days=8)) == 1
    assert not Job.objects.exists() and not default_storage.exists(job.file_name)
    assert not DBTaskResult.objects.exists()


def test_a_file_gone_from_storage_says_so_in_vietnamese(web, people, work):
    from django.core.files.storage import default_storage

    web.post("/members/export/register.xlsx?org=C1")
    work()
    job = Job.objects.get()
    default_storage.delete(job.file_name)
    r = web.get(f"/jobs/{job.pk}/download/")
    assert r.status_code == 410 and "hãy xuất lại" in r.content.decode()


def test_a_run_put_back_on_the_queue_never_writes_over_the_run_that_took_it_over(web, people):
    web.post("/members/export/register.xlsx?org=C1")
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state="running", attempts=1)
    stale = Job.objects.get(pk=job.pk)
    Job.objects.filter(pk=job.pk).update(attempts=2)  # put back and started again meanwhile
    assert jobs._finish(stale, state="failed", error="old run") is False
    assert Job.objects.get(pk=job.pk).state == "running"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # the cancelled statement would abort the test's own transaction
def test_a_query_stuck_for_ever_ends_its_job_with_a_reason(admin_user, settings, work):
    from django.db import connection

    from dangvu.jobs import registry

    def stuck(job, progress):
        with connection.cursor() as c:
            c.execute("SELECT pg_sleep(5)")

    settings.DANGVU_JOB_STATEMENT_SECONDS = 1
    registry.KINDS["test.stuck"] = registry.Kind("test.stuck", stuck)
    try:
        job = jobs.submit(by=admin_user, kind="test.stuck", params={}, label="x")
        work()
    finally:
        registry.KINDS.pop("test.stuck")
    job.refresh_from_db()
    assert job.state == "failed" and "quá 1 giây" in job.error
    with connection.cursor() as c:  # the limit does not outlive the job
        c.execute("SHOW statement_timeout")
        assert c.fetchone()[0] == "0"
