"""Uploads go through Django's storage API: an S3-compatible bucket when DANGVU_S3_BUCKET is set."""

import os
import subprocess
import sys


def test_s3_storage_is_configured_from_the_environment():
    env = dict(os.environ, DANGVU_S3_BUCKET="ho-so", DANGVU_S3_ENDPOINT_URL="https://s3.tinh.vn",
               DANGVU_S3_PREFIX="dangvu")  # fmt: skip
    code = (
        "from django.conf import settings; import django; django.setup(); print(settings.STORAGES['default'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "dangvu.settings"},  # noqa: S603
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "storages.backends.s3.S3Storage" in out and "'bucket_name': 'ho-so'" in out
    assert "'default_acl': 'private'" in out and "'file_overwrite': False" in out
