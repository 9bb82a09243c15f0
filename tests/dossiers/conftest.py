import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.accounts import services as asvc
from dangvu.dossiers.samples import docx_with_text, pdf_with_text


def pdf(*lines: str, name: str = "tep.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_with_text(list(lines) or ["Ho so"]))


def docx(*paragraphs: str, name: str = "tep.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_with_text(list(paragraphs)))


@pytest.fixture
def user_on(django_user_model, tree):
    """user_on(org_code, role) → a user holding `role` on that organisation."""
    n = [0]

    def _make(code: str, role: str = "secretary"):
        n[0] += 1
        u = django_user_model.objects.create_user(f"u{n[0]}", f"u{n[0]}@example.vn", "mat-khau-rat-dai-1")
        asvc.grant_create(user=u, organisation=tree[code], role=role, by=None)
        return u

    return _make
