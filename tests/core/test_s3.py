"""Object storage for real: uploads, downloads, replacement, export jobs and backups against an S3-compatible server
started here on 127.0.0.1 (moto's server: an emulator of the S3 API, the only S3 server this machine's registries
offer; production uses any S3-compatible store, docs/operations.md). Objects are private, never addressed by a
public URL, and every download is checked against its SHA-256 as with local storage."""

import hashlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.dossiers import services as dsvc
from tests.jobs.helpers import export
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

boto3 = pytest.importorskip("boto3")
pytestmark = pytest.mark.django_db
BUCKET = "dangvu-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    server = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)],  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    client = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="dangvu",
                          aws_secret_access_key="dangvu-secret")  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    yield url, client
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def s3(settings, s3_server, request):
    url, client = s3_server
    prefix = request.node.name[:40]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": url, "region_name": "us-east-1", "access_key": "dangvu",
        "secret_key": "dangvu-secret", "location": prefix, "default_acl": "private", "file_overwrite": False}}}  # fmt: skip
    return client, prefix


def _objects(client, prefix):
    return {o["Key"]: o for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix + "/").get("Contents", [])}


def test_upload_download_replace_and_tamper_on_object_storage(s3, client, admin_user, tree):
    s3client, prefix = s3
    pdf1, pdf2 = b"%PDF-1.4 so dang vien ban 1\n%%EOF", b"%PDF-1.4 so dang vien ban 2\n%%EOF"
    d = dsvc.dossier_open(by=admin_user, org=tree["C1-T1"], code="TC01", year=2026)
    v1 = dsvc.file_add(by=admin_user, dossier=d, upload=SimpleUploadedFile("so.pdf", pdf1))
    v2 = dsvc.file_add(by=admin_user, dossier=d, upload=SimpleUploadedFile("so.pdf", pdf2), replaces=v1)
    stored = _objects(s3client, prefix)
    assert {f"{prefix}/{v1.file.name}", f"{prefix}/{v2.file.name}"} <= set(stored)  # both versions kept
    body = s3client.get_object(Bucket=BUCKET, Key=f"{prefix}/{v2.file.name}")["Body"].read()
    assert hashlib.sha256(body).hexdigest() == v2.sha256 == hashlib.sha256(pdf2).hexdigest()
    acl = s3client.get_object_acl(Bucket=BUCKET, Key=f"{prefix}/{v2.file.name}")
    assert all("URI" not in g["Grantee"] for g in acl["Grants"])  # private: no AllUsers/AuthenticatedUsers grant

    client.force_login(admin_user)
    for v, data in ((v1, pdf1), (v2, pdf2)):
        r = client.get(f"/dossiers/{d.pk}/files/{v.pk}/")
        assert r.status_code == 200 and r.content == data
    page = client.get(f"/dossiers/{d.pk}/").content.decode()
    assert "127.0.0.1:" not in page and "X-Amz" not in page  # no object-store address ever reaches a page
    # changed behind the app's back: refused, as with local storage
    v2.file.storage.delete(v2.file.name)
    v2.file.storage.save(v2.file.name, ContentFile(b"%PDF-1.4 tampered"))
    assert client.get(f"/dossiers/{d.pk}/files/{v2.pk}/").status_code == 409


def test_export_jobs_store_their_files_on_object_storage(s3, client, admin_user, people):  # noqa: F811
    s3client, prefix = s3
    client.force_login(admin_user)
    data = export(client, "/members/export/register.xlsx", {"org": "C1"})
    keys = [k for k in _objects(s3client, prefix) if "/jobs/" in k]
    assert len(keys) == 1 and keys[0].endswith(".xlsx")
    assert s3client.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == data


@pytest.fixture
def reference(transactional_db):
    from tests.conftest import load_reference_data

    load_reference_data()


@pytest.mark.django_db(transaction=True)  # SQLite's online backup would wait for the test's open transaction
def test_backup_reads_every_object(reference, s3, admin_user, tree, tmp_path):
    from dangvu.core.backup import backup

    d = dsvc.dossier_open(by=admin_user, org=tree["C1-T1"], code="TC01", year=2026)
    f = dsvc.file_add(by=admin_user, dossier=d, upload=SimpleUploadedFile("so.pdf", b"%PDF-1.4 so\n%%EOF"))
    report = backup(tmp_path / "bk")
    assert report.files[f.file.name]["sha256"] == f.sha256
    assert (tmp_path / "bk" / "files" / f.file.name).read_bytes() == b"%PDF-1.4 so\n%%EOF"
