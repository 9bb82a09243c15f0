"""Demo accounts for the demo province: one per role, at the levels where each works (deterministic names,
passwords generated per installation and written to var/demo-logins.txt, never a constant in the code)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model

from dangvu.organizations.models import Organisation, OrgKind

from . import services as svc

COMMUNE = "LCA-KHANHYEN"


def _accounts():
    """(username, full name, organisation code or a callable that finds it, role)."""

    def first_cell():
        return (
            Organisation.objects.filter(
                path__startswith=Organisation.objects.get(code=COMMUNE).path,
                type__kind=OrgKind.CELL,
                closed_on__isnull=True,
            )
            .order_by("path")
            .first()
        )

    return [
        ("tochuc.tinh", "Hoàng Thị Thu", "LCA", "officer"),
        ("tochuc.khanhyen", "Lý Văn Minh", COMMUNE, "officer"),
        ("kiemtra.khanhyen", "Vàng Thị Dung", COMMUNE, "inspector"),
        ("xem.khanhyen", "Triệu Văn Hải", COMMUNE, "viewer"),
        ("bithu.chibo1", "Nông Văn Tiến", first_cell, "secretary"),
    ]


def seed_access(by) -> list[tuple[str, str, str, str]]:
    """Create the demo accounts (once). Returns (username, password, role, organisation name) per account."""
    User = get_user_model()
    out = []
    for username, full_name, where, role in _accounts():
        if User.objects.filter(username=username).exists():
            continue
        org = where() if callable(where) else Organisation.objects.filter(code=where).first()
        if org is None:
            continue
        password = secrets.token_urlsafe(9)
        family, _, given = full_name.rpartition(" ")
        user = User.objects.create_user(username, password=password, first_name=given, last_name=family)
        svc.grant_create(user=user, organisation=org, role=role, by=by)
        out.append((username, password, role, org.name))
    if out:
        path = settings.VAR_DIR / "demo-logins.txt"
        with path.open("a") as f:
            for row in out:
                f.write("\t".join(row) + "\n")
        path.chmod(0o600)
    return out
