"""The authorisation matrix, generated: every URL pattern (from the URL resolver) and every API operation (from
the OpenAPI schema) is requested by each role, granted on commune C1, once for an object inside C1's subtree
and once for the same kind of object in commune C2. Inside: the roles allowed get through and the others are
refused (403, or 404 where the object lies outside what the role may manage); outside: 404 (or, for an
organisation named in a submitted body, a field-level refusal), for every role.

A URL or operation missing from the tables below fails `test_every_address_is_in_the_matrix`: a new page or
endpoint cannot be added without saying who may use it and checking it here."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from docx import Document as DocxDocument

from dangvu.accounts import services as asvc
from dangvu.accounts.models import ApiToken, Role
from dangvu.core.dates import today
from dangvu.core.models import AuditEntry, Notification, OcrCopy
from dangvu.documents import handbook
from dangvu.documents import services as docsvc
from dangvu.documents.models import HandbookFile
from dangvu.dossiers import services as dsvc
from dangvu.dossiers.models import Catalogue
from dangvu.dossiers.samples import pdf_with_text
from dangvu.evaluations import services as esvc
from dangvu.meetings import services as mtsvc
from dangvu.members import services as msvc
from tests.conftest import VerifiedClient

ROLES = [r.value for r in Role]
EDIT = {"secretary", "officer", "admin"}
DECIDE = {"officer", "admin"}
AUDIT = {"inspector", "officer", "admin"}
CONF = {"inspector", "officer", "admin"}  # inspection, supervision, discipline
ALL = set(ROLES)


@dataclass
class Case:
    """One address. `build(world, inside)` returns (method, url, body); `allowed` are the roles that get through
    inside the scope (others get `denied`); outside the scope everyone gets `outside`. `outside=None`: a list
    or a page without an object, where outside rows must simply be absent (`absent` in the body)."""

    build: Callable
    allowed: set = field(default_factory=lambda: ALL)
    ok: tuple = (200,)
    denied: int = 403
    outside: int | None = 404
    absent: str = ""
    to_login: bool = False  # the expected answer is a redirect to the login page (logging out)


def page(name, *args, query=""):
    return reverse(name, args=args) + (f"?{query}" if query else "")


def api(path):
    return f"/api/v1{path}"


W = "world"  # readability in the lambdas below: w is the world dict


def side(w, inside, a, b):
    return w[a] if inside else w[b]


PAGES: dict[str, Case] = {
    "search": Case(lambda w, i: ("get", page("search", query="q=khe ban"), None), outside=None, absent="Khe Bàn"),
    "home": Case(lambda w, i: ("get", page("home", query=f"org={'C1-T1' if i else 'C2-T1'}"), None)),
    "healthz": Case(lambda w, i: ("get", page("healthz"), None), ok=(200, 503), outside=None),
    "login": Case(lambda w, i: ("get", page("login"), None), outside=None),
    "logout": Case(lambda w, i: ("post", page("logout"), {}), ok=(302,), outside=None, to_login=True),
    "set_language": Case(
        lambda w, i: ("post", page("set_language"), {"language": "vi"}), ok=(302,), outside=None
    ),
    "organizations:tree": Case(
        lambda w, i: ("get", page("organizations:tree"), None), outside=None, absent="Võ Lao"
    ),
    "organizations:suggest": Case(
        lambda w, i: ("get", page("organizations:suggest", query="q=xa"), None), outside=None, absent="Võ Lao"
    ),
    "organizations:decisions": Case(
        lambda w, i: ("get", page("organizations:decisions"), None), outside=None, absent="Khe Bàn"
    ),
    "organizations:decision": Case(
        lambda w, i: (
            "get",
            page("organizations:decision", "establish", query=f"org={'C1' if i else 'C2'}"),
            None,
        ),
        allowed=DECIDE,
    ),
    "organizations:pending": Case(
        lambda w, i: ("get", page("organizations:pending", w["pd_in" if i else "pd_out"].pk), None)
    ),
    "organizations:detail": Case(
        lambda w, i: ("get", page("organizations:detail", "C1-T1" if i else "C2-T1"), None)
    ),
    "organizations:children": Case(
        lambda w, i: ("get", page("organizations:children", "C1" if i else "C2"), None)
    ),
    "organizations:history": Case(
        lambda w, i: ("get", page("organizations:history", "C1-T1" if i else "C2-T1"), None)
    ),
    "members:list": Case(
        lambda w, i: ("get", page("members:list", query=f"org={'C1-T1' if i else 'C2-T1'}"), None)
    ),
    "members:create": Case(
        lambda w, i: ("get", page("members:create", query=f"org={'C1-T1' if i else 'C2-T1'}"), None),
        allowed=EDIT,
    ),
    "members:import": Case(
        lambda w, i: ("get", page("members:import", query=f"org={'C1-T1' if i else 'C2-T1'}"), None),
        allowed=EDIT,
    ),
    "members:reconcile": Case(  # comparing only reads; applying is checked by the service (tests/members)
        lambda w, i: ("get", page("members:reconcile", query=f"org={'C1' if i else 'C2'}"), None)
    ),
    "members:export_register": Case(  # a background job: the page of the job follows
        lambda w, i: ("post", page("members:export_register", query=f"org={'C1' if i else 'C2'}"), {}),
        ok=(302,),
    ),
    "members:export_list": Case(
        lambda w, i: ("post", page("members:export_list", query=f"org={'C1' if i else 'C2'}"), {}),
        ok=(302,),
    ),
    "members:transfer_receive": Case(
        lambda w, i: ("get", page("members:transfer_receive", side(w, i, "t_in", "t_far").pk), None),
        allowed=EDIT,
    ),
    "members:transfer_cancel": Case(
        lambda w, i: ("post", page("members:transfer_cancel", side(w, i, "t_away", "t_far").pk), {}),
        allowed=EDIT,
        ok=(302,),
    ),
    "members:leadership": Case(
        lambda w, i: ("get", page("members:leadership", "C1-T1" if i else "C2-T1"), None)
    ),
    "members:org_history": Case(
        lambda w, i: ("get", page("members:org_history", "C1-T1" if i else "C2-T1"), None)
    ),
    "members:detail": Case(lambda w, i: ("get", page("members:detail", side(w, i, "duc", "khe").pk), None)),
    "members:edit": Case(
        lambda w, i: ("get", page("members:edit", side(w, i, "duc", "khe").pk), None), allowed=EDIT
    ),
    "members:entry": Case(
        lambda w, i: (
            "post",
            page("members:entry", side(w, i, "duc", "khe").pk),
            {"entry-kind": "reward", "entry-start": "01/01/2024", "entry-description": "Giấy khen"},
        ),
        allowed=EDIT,
        ok=(302,),
    ),
    "members:account": Case(
        lambda w, i: ("post", page("members:account", side(w, i, "duc", "khe").pk), {"username": "u-viewer"}),
        allowed=DECIDE,
        ok=(302,),
    ),
    "members:event": Case(
        lambda w, i: ("get", page("members:event", side(w, i, "duc", "khe").pk, "exempt"), None), allowed=EDIT
    ),
    "accounts:account": Case(lambda w, i: ("get", page("accounts:account"), None), outside=None),
    "accounts:two_factor": Case(lambda w, i: ("get", page("accounts:two_factor"), None), outside=None),
    "accounts:password": Case(lambda w, i: ("get", page("accounts:password"), None), outside=None),
    "accounts:token_revoke": Case(
        lambda w, i: (
            "post",
            page("accounts:token_revoke", (w["own_token"] if i else w["t_out_token"]).pk),
            {},
        ),
        ok=(302,),
    ),
    "accounts:access": Case(
        lambda w, i: ("get", page("accounts:access", query=f"org={'C1' if i else 'C2'}"), None),
        allowed=DECIDE,
    ),
    "accounts:grant_end": Case(
        lambda w, i: ("post", page("accounts:grant_end", side(w, i, "g_in", "g_out").pk), {}),
        allowed=DECIDE,
        ok=(302,),
        denied=404,
    ),
    "accounts:user": Case(
        lambda w, i: ("get", page("accounts:user", side(w, i, "u_in", "u_out").username), None),
        allowed=DECIDE,
        denied=404,
    ),
    "accounts:user_token_revoke": Case(
        lambda w, i: (
            "post",
            page(
                "accounts:user_token_revoke",
                side(w, i, "u_in", "u_out").username,
                side(w, i, "t_in_token", "t_out_token").pk,
            ),
            {},
        ),
        allowed=DECIDE,
        ok=(302,),
        denied=404,
    ),
    "accounts:user_2fa_reset": Case(
        lambda w, i: ("post", page("accounts:user_2fa_reset", side(w, i, "u_in", "u_out").username), {}),
        allowed=DECIDE,
        ok=(302,),
        denied=404,
    ),
    # the calendar is the country's, not a subtree's: everyone reads it (no object to be outside of); writing it
    # is for superusers and administrators of a top organisation (tests/core/test_calendar.py)
    "accounts:calendar": Case(lambda w, i: ("get", page("accounts:calendar", query="year=2026"), None),
                              outside=None),  # fmt: skip
    "accounts:language": Case(lambda w, i: ("post", page("accounts:language"), {"language": "vi"}), ok=(302,),
                              outside=None),  # fmt: skip
    "accounts:audit": Case(
        lambda w, i: ("get", page("accounts:audit", query=f"org={'C1' if i else 'C2'}"), None), allowed=AUDIT
    ),
    "accounts:audit_export": Case(
        lambda w, i: ("post", page("accounts:audit_export", query=f"org={'C1' if i else 'C2'}"), {}),
        allowed=AUDIT,
        ok=(302,),
    ),
    "notifications": Case(
        lambda w, i: ("get", page("notifications"), None), outside=None, absent="Thư riêng"
    ),
    "notification_read": Case(
        lambda w, i: ("post", page("notification_read", (w["own_note"] if i else w["note_out"]).pk), {}),
        ok=(302,),
    ),
    "jobs:list": Case(lambda w, i: ("get", page("jobs:list"), None), outside=None, absent="Việc của người khác"),
    "jobs:detail": Case(lambda w, i: ("get", page("jobs:detail", (w["own_job"] if i else w["job_out"]).pk), None)),
    "jobs:progress": Case(
        lambda w, i: ("get", page("jobs:progress", (w["own_job"] if i else w["job_out"]).pk), None)
    ),
    "jobs:download": Case(
        lambda w, i: ("get", page("jobs:download", (w["own_job"] if i else w["job_out"]).pk), None)
    ),
    "meetings:dashboard": Case(
        lambda w, i: ("get", page("meetings:dashboard", query=f"org={'C1' if i else 'C2'}"), None)
    ),
    "meetings:dashboard_export": Case(
        lambda w, i: ("post", page("meetings:dashboard_export", query=f"org={'C1' if i else 'C2'}"), {}),
        ok=(302,),
    ),
    "meetings:cell": Case(lambda w, i: ("get", page("meetings:cell", "C1-T1" if i else "C2-T1"), None)),
    "meetings:create": Case(
        lambda w, i: ("get", page("meetings:create", "C1-T1" if i else "C2-T1"), None), allowed=EDIT
    ),
    "meetings:report": Case(
        lambda w, i: ("get", page("meetings:report", "C1-T1" if i else "C2-T1", 2026, 3), None)
    ),
    "congresses:index": Case(lambda w, i: ("get", page("congresses:index", "C1-T1" if i else "C2-T1"), None)),
    "congresses:detail": Case(lambda w, i: ("get", page("congresses:detail", side(w, i, "cg_in", "cg_out").pk), None)),
    **{f"congresses:{name}": Case(lambda w, i, name=name: ("post", page(f"congresses:{name}",
                                                                        side(w, i, "cg_in", "cg_out").pk), {}),
                                  allowed=EDIT, ok=(302,))
       for name in ("summon", "delegate", "presence", "election", "confirm")},
    "congresses:count": Case(lambda w, i: ("get", page("congresses:count", side(w, i, "ce_in", "ce_out").pk), None),
                             allowed=EDIT),
    "congresses:election_remove": Case(lambda w, i: ("post", page("congresses:election_remove",
                                                                  side(w, i, "ce_in", "ce_out").pk), {}),
                                       allowed=EDIT, ok=(302,)),  # a counted ballot stays: refused with a message
    "congresses:minutes": Case(lambda w, i: ("get", page("congresses:minutes", side(w, i, "ce_in", "ce_out").pk), None)),
    "dues:index": Case(lambda w, i: ("get", page("dues:index", query=f"org={'C1' if i else 'C2'}&period=2026-03"), None)),
    "dues:open": Case(lambda w, i: ("post", page("dues:open", query=f"org={'C1' if i else 'C2'}&period=2026-03"), {}),
                      allowed=EDIT, ok=(302,)),
    "dues:report": Case(lambda w, i: ("post", page("dues:report", "C1" if i else "C2", query="period=2026-02"), {}),
                        allowed=EDIT, ok=(302,)),
    "dues:bases_import": Case(lambda w, i: ("get", page("dues:bases_import", "C1" if i else "C2"), None), allowed=EDIT),
    "dues:books": Case(lambda w, i: ("get", page("dues:books", "C1" if i else "C2", query="period=2026-03"), None)),
    "dues:cash": Case(lambda w, i: ("get", page("dues:cash", "C1" if i else "C2", query="period=2026-03"), None)),
    "dues:sheet": Case(lambda w, i: ("get", page("dues:sheet", "C1-T1" if i else "C2-T1", "2026-03"), None)),
    "dues:ledger": Case(lambda w, i: ("get", page("dues:ledger", side(w, i, "duc", "khe").pk), None)),
    "stats:index": Case(lambda w, i: ("get", page("stats:index", query=f"org={'C1' if i else 'C2'}"), None)),
    "stats:export": Case(lambda w, i: ("post", page("stats:export", query=f"org={'C1' if i else 'C2'}"), {}),
                         ok=(302,)),
    "stats:snapshots": Case(lambda w, i: ("get", page("stats:snapshots", "C1" if i else "C2"), None)),
    "stats:snapshot": Case(lambda w, i: ("get", page("stats:snapshot", side(w, i, "ss_in", "ss_out").pk), None)),
    "stats:grassroots": Case(lambda w, i: ("get", page("stats:grassroots", "C1" if i else "C2"), None)),
    "stats:field_day": Case(lambda w, i: ("post", page("stats:field_day", side(w, i, "fd_in", "fd_out").pk, "approve"),
                                          {}), allowed=EDIT, ok=(302,)),
    "meetings:bodies": Case(lambda w, i: ("get", page("meetings:bodies", "C1" if i else "C2"), None)),
    "meetings:body_create": Case(
        lambda w, i: ("get", page("meetings:body_create", "C1" if i else "C2", "standing"), None), allowed=EDIT
    ),
    "meetings:working_rules": Case(
        lambda w, i: ("get", page("meetings:working_rules", "C1" if i else "C2"), None), allowed=EDIT
    ),
    "meetings:templates": Case(
        lambda w, i: ("get", page("meetings:templates", "C1" if i else "C2"), None), allowed=EDIT
    ),
    "meetings:detail": Case(
        lambda w, i: ("get", page("meetings:detail", side(w, i, "m_in", "m_out").pk), None)
    ),
    "meetings:edit": Case(
        lambda w, i: ("get", page("meetings:edit", side(w, i, "m_in", "m_out").pk), None), allowed=EDIT
    ),
    "meetings:cancel": Case(
        lambda w, i: ("post", page("meetings:cancel", side(w, i, "m_in", "m_out").pk), {"reason": "Mưa lũ"}),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:attach": Case(
        lambda w, i: ("post", page("meetings:attach", side(w, i, "m_in", "m_out").pk), {}),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:file": Case(
        lambda w, i: (
            "get",
            page("meetings:file", side(w, i, "m_in", "m_out").pk, side(w, i, "f_in", "f_out").pk),
            None,
        )
    ),
    "meetings:notify": Case(
        lambda w, i: ("post", page("meetings:notify", side(w, i, "m_in", "m_out").pk), {}),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:roll_call": Case(
        lambda w, i: ("get", page("meetings:roll_call", side(w, i, "m_in", "m_out").pk), None), allowed=EDIT
    ),
    "meetings:record": Case(
        lambda w, i: ("get", page("meetings:record", side(w, i, "m_in", "m_out").pk), None), allowed=EDIT
    ),
    "meetings:speaker": Case(
        lambda w, i: (
            "post",
            page("meetings:speaker", side(w, i, "m_in", "m_out").pk),
            {"name": "Khách mời", "opinion": "Ý kiến"},
        ),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:speaker_remove": Case(
        lambda w, i: (
            "post",
            page("meetings:speaker_remove", side(w, i, "m_in", "m_out").pk, side(w, i, "s_in", "s_out").pk),
            {},
        ),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:vote": Case(
        lambda w, i: (
            "post",
            page("meetings:vote", side(w, i, "m_in", "m_out").pk),
            {
                "kind": "ordinary",
                "subject": "Nghị quyết",
                "votes_for": 1,
                "votes_against": 0,
                "votes_abstain": 0,
            },
        ),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:vote_remove": Case(
        lambda w, i: (
            "post",
            page("meetings:vote_remove", side(w, i, "m_in", "m_out").pk, side(w, i, "v_in", "v_out").pk),
            {},
        ),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:close": Case(
        lambda w, i: ("post", page("meetings:close", side(w, i, "m_in", "m_out").pk), {}),
        allowed=EDIT,
        ok=(302,),
    ),
    "meetings:monitor": Case(
        lambda w, i: ("get", page("meetings:monitor", side(w, i, "m_in", "m_out").pk), None), allowed=EDIT
    ),
    "meetings:document": Case(
        lambda w, i: ("get", page("meetings:document", side(w, i, "m_in", "m_out").pk, "minutes"), None)
    ),
    "dossiers:index": Case(
        lambda w, i: ("get", page("dossiers:index", query=f"org={'C1' if i else 'C2'}"), None)
    ),
    "dossiers:export": Case(
        lambda w, i: ("post", page("dossiers:export", query=f"org={'C1' if i else 'C2'}&year=2026"), {}),
        ok=(302,),
    ),
    "dossiers:search": Case(
        lambda w, i: ("get", page("dossiers:search", query="q=so"), None),
        outside=None,
        absent="Khe Bàn riêng",
    ),
    "dossiers:checklist": Case(
        lambda w, i: ("get", page("dossiers:checklist", "C1-T1" if i else "C2-T1", 2026), None)
    ),
    "dossiers:open": Case(
        lambda w, i: ("post", page("dossiers:open", "C1-T1" if i else "C2-T1", 2026), {"code": "TC03"}),
        allowed=EDIT,
        ok=(302,),
    ),
    "dossiers:detail": Case(
        lambda w, i: ("get", page("dossiers:detail", side(w, i, "d_in", "d_out").pk), None)
    ),
    "dossiers:upload": Case(
        lambda w, i: ("post", page("dossiers:upload", side(w, i, "d_in", "d_out").pk), {}),
        allowed=EDIT,
        ok=(302,),
    ),
    "dossiers:file": Case(
        lambda w, i: (
            "get",
            page("dossiers:file", side(w, i, "d_in", "d_out").pk, side(w, i, "df_in", "df_out").pk),
            None,
        )
    ),
    "dossiers:link": Case(
        lambda w, i: ("post", page("dossiers:link", side(w, i, "d_in", "d_out").pk), {"kind": "register"}),
        allowed=EDIT,
        ok=(302,),
    ),
    "dossiers:unlink": Case(
        lambda w, i: (
            "post",
            page(
                "dossiers:unlink", side(w, i, "dl_in", "dl_out").dossier_id, side(w, i, "dl_in", "dl_out").pk
            ),
            {},
        ),
        allowed=EDIT,
        ok=(302,),
    ),
    # catalogues hold for the whole installation: read by all, published only from the root (not C1)
    "dossiers:catalogues": Case(lambda w, i: ("get", page("dossiers:catalogues"), None), outside=None),
    "dossiers:catalogue": Case(
        lambda w, i: ("get", page("dossiers:catalogue", w["cat"].pk), None), outside=None
    ),
    "dossiers:catalogue_export": Case(
        lambda w, i: ("get", page("dossiers:catalogue_export", w["cat"].pk), None), outside=None
    ),
    "dossiers:type_edit": Case(
        lambda w, i: ("get", page("dossiers:type_edit", w["cat"].pk, w["cat"].types.first().pk), None),
        allowed=set(),
        outside=None,
    ),
    "dossiers:catalogue_version": Case(
        lambda w, i: ("post", page("dossiers:catalogue_version", w["cat"].pk), {"year": 2026}),
        allowed=set(),
        outside=None,
    ),
    "admission:index": Case(lambda w, i: ("get", page("admission:index", query=f"org={'C1' if i else 'C2'}"), None)),
    "admission:export": Case(
        lambda w, i: ("post", page("admission:export", query=f"org={'C1' if i else 'C2'}"), {}), ok=(302,)
    ),
    "admission:create": Case(
        lambda w, i: ("get", page("admission:create", query=f"org={'C1-T1' if i else 'C2-T1'}"), None), allowed=EDIT
    ),
    "admission:import": Case(
        lambda w, i: ("get", page("admission:import", query=f"org={'C1-T1' if i else 'C2-T1'}"), None), allowed=EDIT
    ),
    "admission:case": Case(lambda w, i: ("get", page("admission:case", side(w, i, "ac_in", "ac_out").pk), None)),
    "admission:edit": Case(
        lambda w, i: ("get", page("admission:edit", side(w, i, "ac_in", "ac_out").pk), None), allowed=EDIT
    ),
    "admission:step": Case(
        lambda w, i: ("post", page("admission:step", side(w, i, "ac_in", "ac_out").pk),
                      {"kind": "application", "done_on": "05/04/2025"}),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:introducer_add": Case(
        lambda w, i: ("post", page("admission:introducer_add", side(w, i, "ac_in", "ac_out").pk),
                      {"member": side(w, i, "an", "vo").pk, "since": "01/01/2020", "assigned_on": "01/04/2025"}),
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:introducer_remove": Case(
        lambda w, i: ("post", page("admission:introducer_remove", side(w, i, "ac_in", "ac_out").pk,
                                   side(w, i, "ai_in", "ai_out").pk), {}),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:end": Case(
        lambda w, i: ("post", page("admission:end", side(w, i, "ac_in", "ac_out").pk), {"reason": "Xin rút"}),
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:file_add": Case(
        lambda w, i: ("post", page("admission:file_add", side(w, i, "ac_in", "ac_out").pk),
                      {"title": "Đơn", "file": SimpleUploadedFile("d.pdf", b"%PDF-1.4 don moi")}),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:villages": Case(
        lambda w, i: ("get", page("admission:villages", query=f"org={'C1' if i else 'C2'}"), None)
    ),
    "admission:village_add": Case(
        lambda w, i: ("post", page("admission:village_add", query=f"org={'C1' if i else 'C2'}"),
                      {"name": "Tổ mới", "kind": "thon", "valid_from": "01/01/2026"}),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:unit": Case(lambda w, i: ("get", page("admission:unit", side(w, i, "vu_in", "vu_out").pk), None)),
    "admission:unit_cover": Case(
        lambda w, i: ("post", page("admission:unit_cover", side(w, i, "vu_in", "vu_out").pk),
                      {"cell": w["tree"]["C1-T1" if i else "C2-T1"].pk}),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:unit_resident": Case(
        lambda w, i: ("post", page("admission:unit_resident", side(w, i, "vu_in", "vu_out").pk),
                      {"member": side(w, i, "duc", "khe").pk}),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:unit_merge": Case(
        lambda w, i: ("post", page("admission:unit_merge", side(w, i, "vu_in", "vu_out").pk),
                      {"other": side(w, i, "vu2_in", "vu2_out").pk, "name": "Gộp", "on": "01/06/2026"}),
        allowed=EDIT,
        ok=(302,),
    ),
    "admission:form": Case(
        lambda w, i: ("get", page("admission:form", side(w, i, "acf_in", "acf_out").pk, "6-KNĐ"), None)
    ),
    "admission:file": Case(
        lambda w, i: ("get", page("admission:file", side(w, i, "ac_in", "ac_out").pk,
                                  side(w, i, "af_in", "af_out").pk), None)  # fmt: skip
    ),
    "evaluations:index": Case(
        lambda w, i: ("get", page("evaluations:index", query=f"org={'C1' if i else 'C2'}&year=2025"), None)
    ),
    "evaluations:export": Case(
        lambda w, i: ("post", page("evaluations:export", query=f"org={'C1' if i else 'C2'}&year=2025"), {}),
        ok=(302,),
    ),
    "evaluations:organisation": Case(
        lambda w, i: ("get", page("evaluations:organisation", "C1-T1" if i else "C2-T1", 2025), None)
    ),
    "evaluations:register": Case(
        lambda w, i: (
            "post",
            page("evaluations:register", "C1-T1" if i else "C2-T1", 2026),
            {"target_level": "good", "goals": "Chỉ tiêu"},
        ),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "evaluations:open": Case(
        lambda w, i: (
            "post",
            page("evaluations:open", "C1-T1" if i else "C2-T1", 2025),
            {"member": side(w, i, "anh", "khe").pk},
        ),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "evaluations:decide_many": Case(
        lambda w, i: (
            "post",
            page("evaluations:decide_many", "C1-T1" if i else "C2-T1", 2025),
            {
                "review": side(w, i, "rr_in", "rr_out").pk,
                f"level_{side(w, i, 'rr_in', 'rr_out').pk}": "good",
                "number": "12-QĐ/ĐU",
            },
        ),  # fmt: skip
        allowed=DECIDE,
        ok=(302,),
    ),
    "evaluations:commitment": Case(
        lambda w, i: ("get", page("evaluations:commitment", side(w, i, "duc", "khe").pk, 2026), None),
        allowed=EDIT,
    ),
    "evaluations:review": Case(
        lambda w, i: ("get", page("evaluations:review", side(w, i, "rv_in", "rv_out").pk), None)
    ),
    "evaluations:self": Case(
        lambda w, i: ("post", page("evaluations:self", side(w, i, "rv_in", "rv_out").pk), {"form": "2C"}),
        allowed=EDIT,
        ok=(302,),
    ),
    "evaluations:return": Case(
        lambda w, i: (
            "post",
            page("evaluations:return", side(w, i, "rs_in", "rs_out").pk),
            {"reason": "Sửa"},
        ),
        allowed=EDIT,
        ok=(302,),
    ),
    "evaluations:assess": Case(
        lambda w, i: (
            "post",
            page("evaluations:assess", side(w, i, "rs_in", "rs_out").pk),
            {"cell_score": "80", "cell_level": "good", "votes_for": "3", "votes_base": "5"},
        ),  # fmt: skip
        allowed=EDIT,
        ok=(302,),
    ),
    "evaluations:decide": Case(
        lambda w, i: (
            "post",
            page("evaluations:decide", side(w, i, "rr_in", "rr_out").pk),
            {"level": "good", "number": "12-QĐ/ĐU"},
        ),  # fmt: skip
        allowed=DECIDE,
        ok=(302,),
    ),
    "evaluations:form": Case(
        lambda w, i: ("get", page("evaluations:form", side(w, i, "rv_in", "rv_out").pk), None)
    ),
    # the API's own addresses (its operations are in API below)
    "api:openapi-json": Case(lambda w, i: ("get", api("/openapi.json"), None), outside=None),
    "api:openapi-view": Case(lambda w, i: ("get", api("/docs"), None), outside=None),
    "api:api-root": Case(lambda w, i: ("get", api("/"), None), ok=(404,), outside=None),
    # inspection, supervision, discipline: confidential (inspector, officer, admin); others 403 on a subtree, 404
    # on a record
    "inspection:index": Case(lambda w, i: ("get", page("inspection:index", query=f"org={'C1' if i else 'C2'}"), None),
                             allowed=CONF),
    "inspection:report": Case(
        lambda w, i: ("post", page("inspection:report", query=f"org={'C1' if i else 'C2'}"), {}), allowed=CONF, ok=(302,)
    ),
    "inspection:programmes": Case(
        lambda w, i: ("get", page("inspection:programmes", query=f"org={'C1' if i else 'C2'}"), None), allowed=CONF
    ),
    "inspection:programme": Case(
        lambda w, i: ("get", page("inspection:programme", side(w, i, "ip_in", "ip_out").pk), None), allowed=CONF,
        denied=404,
    ),
    "inspection:item_progress": Case(
        lambda w, i: ("post", page("inspection:item_progress", side(w, i, "ip_in", "ip_out").pk,
                                   side(w, i, "it_in", "it_out").pk), {"state": "under_way"}),
        allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:item_open": Case(
        lambda w, i: ("get", page("inspection:item_open", side(w, i, "ip_in", "ip_out").pk,
                                  side(w, i, "it_in", "it_out").pk), None), allowed=CONF, denied=404,
    ),
    "inspection:inspections": Case(
        lambda w, i: ("get", page("inspection:inspections", query=f"org={'C1' if i else 'C2'}"), None), allowed=CONF
    ),
    "inspection:inspection_new": Case(
        lambda w, i: ("get", page("inspection:inspection_new", query=f"org={'C1' if i else 'C2'}"), None),
        allowed=CONF,
    ),
    "inspection:inspection": Case(
        lambda w, i: ("get", page("inspection:inspection", side(w, i, "ii_in", "ii_out").pk), None), allowed=CONF,
        denied=404,
    ),
    "inspection:inspection_reports": Case(
        lambda w, i: ("post", page("inspection:inspection_reports", side(w, i, "iio_in", "iio_out").pk),
                      {"result_report": "Kết quả", "result_on": "02/03/2026"}), allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:inspection_conclude": Case(
        lambda w, i: ("post", page("inspection:inspection_conclude", side(w, i, "iio_in", "iio_out").pk),
                      {"concluded_on": "03/03/2026", "findings": "Không có vi phạm"}),
        allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:recommendation_done": Case(
        lambda w, i: ("post", page("inspection:recommendation_done", side(w, i, "ii_in", "ii_out").pk,
                                   side(w, i, "ir_in", "ir_out").pk), {"done_on": "05/03/2026"}),
        allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:inspection_file": Case(
        lambda w, i: ("get", page("inspection:inspection_file", side(w, i, "ii_in", "ii_out").pk), None),
        allowed=CONF, denied=404,
    ),
    "inspection:inspection_doc": Case(
        lambda w, i: ("get", page("inspection:inspection_doc", side(w, i, "ii_in", "ii_out").pk, "conclusion"), None),
        allowed=CONF, denied=404,
    ),
    "inspection:disciplines": Case(
        lambda w, i: ("get", page("inspection:disciplines", query=f"org={'C1' if i else 'C2'}"), None), allowed=CONF
    ),
    "inspection:discipline_new": Case(
        lambda w, i: ("get", page("inspection:discipline_new", query=f"org={'C1-T1' if i else 'C2-T1'}"), None),
        allowed=CONF,
    ),
    "inspection:discipline": Case(
        lambda w, i: ("get", page("inspection:discipline", side(w, i, "id_in", "id_out").pk), None), allowed=CONF,
        denied=404,
    ),
    "inspection:discipline_decide": Case(
        lambda w, i: ("post", page("inspection:discipline_decide", side(w, i, "ido_in", "ido_out").pk), {
            "form": "reprimand", "votes_for": "3", "votes_base": "4", "decided_on": "10/06/2026",
            "announced_on": "10/06/2026", "hearing_on": "05/06/2026"}), allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:discipline_announce": Case(
        lambda w, i: ("post", page("inspection:discipline_announce", side(w, i, "idu_in", "idu_out").pk),
                      {"announced_on": "12/06/2026"}), allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:discipline_defer": Case(
        lambda w, i: ("post", page("inspection:discipline_defer", side(w, i, "ido_in", "ido_out").pk), {
            "deferral": "hospital", "deferred_until": (today() + dt.timedelta(days=60)).strftime("%d/%m/%Y")}),
        allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:discipline_drop": Case(
        lambda w, i: ("post", page("inspection:discipline_drop", side(w, i, "ido_in", "ido_out").pk),
                      {"decided_on": "10/06/2026", "note": "Đã khắc phục"}), allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:discipline_doc": Case(
        lambda w, i: ("get", page("inspection:discipline_doc", side(w, i, "id_in", "id_out").pk), None),
        allowed=CONF, denied=404,
    ),
    "inspection:appeal_file": Case(
        lambda w, i: ("post", page("inspection:appeal_file", side(w, i, "id_in", "id_out").pk),
                      {"filed_on": "20/06/2026", "content": "Xin xem xét lại"}), allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:appeal_answer": Case(
        lambda w, i: ("post", page("inspection:appeal_answer", side(w, i, "ia_in", "ia_out").pk),
                      {"outcome": "upheld", "decided_on": "01/07/2026", "decided_by": "UBKT Huyện ủy"}),
        allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:notices": Case(
        lambda w, i: ("get", page("inspection:notices", query=f"org={'C1' if i else 'C2'}"), None), allowed=CONF
    ),
    "inspection:complaints": Case(
        lambda w, i: ("get", page("inspection:complaints", query=f"org={'C1' if i else 'C2'}"), None), allowed=CONF
    ),
    "inspection:complaint": Case(
        lambda w, i: ("get", page("inspection:complaint", side(w, i, "icp_in", "icp_out").pk), None), allowed=CONF,
        denied=404,
    ),
    "inspection:complaint_close": Case(
        lambda w, i: ("post", page("inspection:complaint_close", side(w, i, "icp_in", "icp_out").pk),
                      {"closed_on": "01/06/2026", "outcome": "Đã trả lời"}), allowed=CONF, ok=(302,), denied=404,
    ),
    "inspection:complaint_handler": Case(
        lambda w, i: ("post", page("inspection:complaint_handler", side(w, i, "icp_in", "icp_out").pk),
                      {"username": "u-officer"}), allowed=CONF, ok=(302,), denied=404,
    ),
    # the registers: every role on the subtree reads, the editing roles write
    "documents:index": Case(lambda w, i: ("get", page("documents:index", query=f"org={'C1' if i else 'C2'}"), None),
                            ok=(302,)),
    **{f"documents:{name}": Case(lambda w, i, name=name: ("get", page(f"documents:{name}",
                                 query=f"org={'C1' if i else 'C2'}"), None)) for name in ("outgoing", "incoming")},
    "documents:book": Case(lambda w, i: ("post", page("documents:book", "outgoing", query=f"org={'C1' if i else 'C2'}"),
                                         {}), ok=(302,)),  # fmt: skip
    "documents:outgoing_doc": Case(lambda w, i: ("get", page("documents:outgoing_doc", side(w, i, "do_in", "do_out").pk),
                                                 None)),  # fmt: skip
    "documents:outgoing_file": Case(lambda w, i: ("get", page("documents:outgoing_file",
                                                              side(w, i, "do_in", "do_out").pk), None)),  # fmt: skip
    "documents:outgoing_void": Case(lambda w, i: ("post", page("documents:outgoing_void", side(w, i, "do_in", "do_out").pk),
                                                  {"reason": "Nhầm"}), allowed=EDIT, ok=(302,)),  # fmt: skip
    "documents:incoming_doc": Case(lambda w, i: ("get", page("documents:incoming_doc", side(w, i, "di_in", "di_out").pk),
                                                 None)),  # fmt: skip
    "documents:incoming_file": Case(lambda w, i: ("get", page("documents:incoming_file",
                                                              side(w, i, "di_in", "di_out").pk), None)),  # fmt: skip
    **{f"documents:{kind}_ocr": Case(lambda w, i, kind=kind, key=key: ("get", page(
        f"documents:{kind}_ocr", side(w, i, key + "_in", key + "_out").pk), None))
       for kind, key in (("outgoing", "do"), ("incoming", "di"))},  # fmt: skip
    **{f"documents:{name}": Case(lambda w, i, name=name: ("get", page(f"documents:{name}",
                                 query=f"org={'C1' if i else 'C2'}"), None)) for name in ("sent", "inbox")},
    "documents:dispatch": Case(lambda w, i: ("get", page("documents:dispatch", side(w, i, "dd_in", "dd_out").pk), None)),
    **{f"documents:{name}": Case(lambda w, i, name=name: ("get", page(f"documents:{name}",
                                 side(w, i, "dv_in", "dv_out").pk), None))
       for name in ("delivery", "delivery_document", "delivery_file")},  # fmt: skip
    "documents:search": Case(lambda w, i: ("get", page("documents:search", query=f"org={'C1' if i else 'C2'}&q=ke+hoach"),
                                           None)),  # fmt: skip
    "documents:handbook": Case(lambda w, i: ("get", page("documents:handbook", query=f"org={'C1' if i else 'C2'}"), None)),
    "documents:handbook_page": Case(lambda w, i: ("get", page("documents:handbook_page", "sinh-hoat-chi-bo",
                                                              query=f"org={'C1' if i else 'C2'}"), None)),  # fmt: skip
    "documents:handbook_edit": Case(lambda w, i: ("post", page("documents:handbook_edit", "sinh-hoat-chi-bo",
                                                               query=f"org={'C1' if i else 'C2'}"),
                                                  {"title": "Sinh hoạt", "body": "Các bước"}), allowed=EDIT, ok=(302,)),  # fmt: skip
    "documents:handbook_attach": Case(lambda w, i: ("post", page("documents:handbook_attach", "quy-trinh-rieng",
                                                                 query=f"org={'C1' if i else 'C2'}"),
                                                    {"file": SimpleUploadedFile("a.pdf", pdf_with_text(["Mau"]))}),
                                      allowed=EDIT, ok=(302,)),  # fmt: skip
    "documents:handbook_file": Case(lambda w, i: ("get", page("documents:handbook_file", side(w, i, "hf_in", "hf_out").pk),
                                                  None)),  # fmt: skip
    "documents:templates": Case(lambda w, i: ("get", page("documents:templates", query=f"org={'C1' if i else 'C2'}"),
                                              None)),  # fmt: skip
    "documents:template_preview": Case(lambda w, i: ("get", page("documents:template_preview",
                                                                 side(w, i, "dt_in", "dt_out").pk), None)),  # fmt: skip
    "documents:template_remove": Case(lambda w, i: ("post", page("documents:template_remove",
                                                                side(w, i, "dt_in", "dt_out").pk), {}), allowed=EDIT,
                                      ok=(302,)),  # fmt: skip
    "documents:outgoing_draft": Case(lambda w, i: ("post", page("documents:outgoing_draft", side(w, i, "do_in", "do_out").pk),
                                                   {"body": "Nội dung"}), allowed=EDIT),  # fmt: skip
    "documents:delivery_read": Case(lambda w, i: ("post", page("documents:delivery_read", side(w, i, "dv_in", "dv_out").pk),
                                                  {}), ok=(302,)),  # fmt: skip
}

API: dict[str, Case] = {
    "GET /api/v1/organisations": Case(
        lambda w, i: ("get", api("/organisations?limit=500"), None), outside=None, absent='"C2"'
    ),
    "GET /api/v1/organisations/types": Case(
        lambda w, i: ("get", api("/organisations/types"), None), outside=None
    ),
    "GET /api/v1/organisations/decisions": Case(
        lambda w, i: ("get", api("/organisations/decisions?limit=500"), None), outside=None, absent="Khe Bàn"
    ),
    "POST /api/v1/organisations/decisions": Case(
        lambda w, i: (
            "post",
            api("/organisations/decisions"),
            {
                "kind": "establish",
                "decision_number": "Số 5-QĐ/ĐU",
                "effective_on": "2025-01-02",
                "code": "NEW-1",
                "name": "Chi bộ thôn Mới",
                "type": "cbtt-thon",
                "parent": "C1" if i else "C2",
            },
        ),
        allowed=DECIDE,
        ok=(201,),
        outside=400,
    ),
    "GET /api/v1/organisations/decisions/pending": Case(
        lambda w, i: ("get", api("/organisations/decisions/pending?limit=500"), None), outside=None,
        absent="Khe Bàn",
    ),
    "POST /api/v1/organisations/decisions/pending/{pending_id}/cancel": Case(
        lambda w, i: ("post", api(f"/organisations/decisions/pending/{w['pd_in' if i else 'pd_out'].pk}/cancel"),
                      {"reason": "Ban Thường vụ rút lại quyết định"}),
        allowed=DECIDE,
    ),
    "GET /api/v1/organisations/{code}": Case(
        lambda w, i: ("get", api(f"/organisations/{'C1-T1' if i else 'C2-T1'}"), None)
    ),
    "GET /api/v1/organisations/{code}/subtree": Case(
        lambda w, i: ("get", api(f"/organisations/{'C1' if i else 'C2'}/subtree"), None)
    ),
    "GET /api/v1/organisations/{code}/history": Case(
        lambda w, i: ("get", api(f"/organisations/{'C1-T1' if i else 'C2-T1'}/history"), None)
    ),
    "GET /api/v1/members": Case(lambda w, i: ("get", api(f"/members?org={'C1' if i else 'C2'}"), None)),
    "POST /api/v1/members": Case(
        lambda w, i: (
            "post",
            api("/members"),
            {
                "org": "C1-T1" if i else "C2-T1",
                "full_name": "Hà Văn Mới",
                "sex": "nam",
                "birth_date": "1990-01-01",
                "ethnicity": "Tày",
                "admitted_on": "2020-01-01",
                "official_on": "2021-01-01",
            },
        ),
        allowed=EDIT,
        ok=(201,),
        outside=400,
    ),
    "GET /api/v1/members/{member_id}": Case(
        lambda w, i: ("get", api(f"/members/{side(w, i, 'duc', 'khe').pk}"), None)
    ),
    "PATCH /api/v1/members/{member_id}": Case(
        lambda w, i: ("patch", api(f"/members/{side(w, i, 'duc', 'khe').pk}"), {"phone": "0912345678"}),
        allowed=EDIT,
    ),
    "POST /api/v1/members/{member_id}/events": Case(
        lambda w, i: (
            "post",
            api(f"/members/{side(w, i, 'duc', 'khe').pk}/events"),
            {"kind": "exempt", "on": "2026-01-05", "reason": "Ốm dài ngày"},
        ),
        allowed=EDIT,
    ),
    "POST /api/v1/members/transfers/{transfer_id}/receive": Case(
        lambda w, i: (
            "post",
            api(f"/members/transfers/{side(w, i, 't_in', 't_far').pk}/receive"),
            {"on": today().isoformat()},
        ),
        allowed=EDIT,
    ),
    "GET /api/v1/meetings": Case(lambda w, i: ("get", api(f"/meetings?org={'C1' if i else 'C2'}"), None)),
    "POST /api/v1/meetings": Case(
        lambda w, i: ("post", api("/meetings"), {"org": "C1-T1" if i else "C2-T1", "date": "2026-04-07"}),
        allowed=EDIT,
        ok=(201,),
        outside=400,
    ),
    "GET /api/v1/meetings/rollup": Case(
        lambda w, i: ("get", api(f"/meetings/rollup?org={'C1' if i else 'C2'}&period=2026-03"), None)
    ),
    "GET /api/v1/meetings/{meeting_id}": Case(
        lambda w, i: ("get", api(f"/meetings/{side(w, i, 'm_in', 'm_out').pk}"), None)
    ),
    "PUT /api/v1/meetings/{meeting_id}/attendance": Case(
        lambda w, i: (
            "put",
            api(f"/meetings/{side(w, i, 'm_in', 'm_out').pk}/attendance"),
            {"lines": w["lines_in" if i else "lines_out"]},
        ),
        allowed=EDIT,
    ),
    "POST /api/v1/meetings/{meeting_id}/votes": Case(
        lambda w, i: (
            "post",
            api(f"/meetings/{side(w, i, 'm_in', 'm_out').pk}/votes"),
            {"subject": "Nghị quyết tháng", "votes_for": 1},
        ),
        allowed=EDIT,
        ok=(201,),
    ),
    "GET /api/v1/meetings/{meeting_id}/minutes.docx": Case(
        lambda w, i: ("get", api(f"/meetings/{side(w, i, 'm_in', 'm_out').pk}/minutes.docx"), None)
    ),
    "GET /api/v1/meetings/{meeting_id}/resolution.docx": Case(
        lambda w, i: ("get", api(f"/meetings/{side(w, i, 'm_in', 'm_out').pk}/resolution.docx"), None)
    ),
    "GET /api/v1/dossiers/catalogues": Case(
        lambda w, i: ("get", api("/dossiers/catalogues"), None), outside=None
    ),
    "GET /api/v1/dossiers/completeness": Case(
        lambda w, i: ("get", api(f"/dossiers/completeness?org={'C1' if i else 'C2'}&year=2026"), None)
    ),
    "GET /api/v1/dossiers": Case(lambda w, i: ("get", api(f"/dossiers?org={'C1' if i else 'C2'}"), None)),
    "POST /api/v1/dossiers": Case(
        lambda w, i: (
            "post",
            api("/dossiers"),
            {"org": "C1-T1" if i else "C2-T1", "code": "TC03", "year": 2026},
        ),
        allowed=EDIT,
        ok=(201,),
        outside=400,
    ),
    "GET /api/v1/dossiers/{dossier_id}": Case(
        lambda w, i: ("get", api(f"/dossiers/{side(w, i, 'd_in', 'd_out').pk}"), None)
    ),
    "PATCH /api/v1/dossiers/{dossier_id}": Case(
        lambda w, i: ("patch", api(f"/dossiers/{side(w, i, 'd_in', 'd_out').pk}"), {"signer": "Lò Văn An"}),
        allowed=EDIT,
    ),
    "POST /api/v1/dossiers/{dossier_id}/files": Case(
        lambda w, i: (
            "post",
            api(f"/dossiers/{side(w, i, 'd_in', 'd_out').pk}/files"),
            {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 so danh sach")},
        ),
        allowed=EDIT,
        ok=(201,),
    ),
    "GET /api/v1/dossiers/{dossier_id}/files/{file_id}": Case(
        lambda w, i: (
            "get",
            api(f"/dossiers/{side(w, i, 'd_in', 'd_out').pk}/files/{side(w, i, 'df_in', 'df_out').pk}"),
            None,
        )
    ),
    "POST /api/v1/dossiers/{dossier_id}/links": Case(
        lambda w, i: ("post", api(f"/dossiers/{side(w, i, 'd_in', 'd_out').pk}/links"), {"kind": "register"}),
        allowed=EDIT,
        ok=(201,),
    ),
    "GET /api/v1/admission/cases": Case(
        lambda w, i: ("get", api(f"/admission/cases?org={'C1' if i else 'C2'}"), None)
    ),
    "GET /api/v1/admission/pipeline": Case(
        lambda w, i: ("get", api(f"/admission/pipeline?org={'C1' if i else 'C2'}"), None)
    ),
    "GET /api/v1/admission/cases/{case_id}": Case(
        lambda w, i: ("get", api(f"/admission/cases/{side(w, i, 'ac_in', 'ac_out').pk}"), None)
    ),
    "POST /api/v1/admission/cases": Case(
        lambda w, i: ("post", api("/admission/cases"), {
            "org": "C1-T1" if i else "C2-T1", "full_name": "Lò Thị Hoa", "sex": "nu", "birth_date": "2001-02-03",
            "proposed_by": "doan-tn", "proposed_on": "2025-01-10"}),  # fmt: skip
        allowed=EDIT,
        ok=(201,),
        outside=400,
    ),
    "POST /api/v1/admission/cases/{case_id}/introducers": Case(
        lambda w, i: ("post", api(f"/admission/cases/{side(w, i, 'ac_in', 'ac_out').pk}/introducers"),
                      {"member_id": side(w, i, "an", "vo").pk, "since": "2020-01-01", "assigned_on": "2025-04-01"}),
        allowed=EDIT,
        ok=(201,),
    ),
    "POST /api/v1/admission/cases/{case_id}/steps": Case(
        lambda w, i: ("post", api(f"/admission/cases/{side(w, i, 'ac_in', 'ac_out').pk}/steps"),
                      {"kind": "application", "done_on": "2025-04-05"}),  # fmt: skip
        allowed=EDIT,
        ok=(201,),
    ),
    "POST /api/v1/admission/cases/{case_id}/end": Case(
        lambda w, i: ("post", api(f"/admission/cases/{side(w, i, 'ac_in', 'ac_out').pk}/end"), {"reason": "Xin rút"}),
        allowed=EDIT,
    ),
    **{
        f"GET /api/v1/reviews{sub}": Case(
            lambda w, i, sub=sub: ("get", api(f"/reviews{sub}?org={'C1' if i else 'C2'}&year=2025"), None)
        )
        for sub in ("", "/summary", "/results", "/registrations", "/commitments")
    },
    "POST /api/v1/reviews/registrations": Case(
        lambda w, i: (
            "post",
            api("/reviews/registrations"),
            {"org": "C1-T1" if i else "C2-T1", "year": 2026, "target_level": "good", "goals": "x"},
        ),  # fmt: skip
        allowed=EDIT,
        ok=(201,),
        outside=400,
    ),
    "POST /api/v1/reviews/commitments": Case(
        lambda w, i: (
            "post",
            api("/reviews/commitments"),
            {
                "member_id": side(w, i, "duc", "khe").pk,
                "year": 2026,
                "target_level": "good",
                "content": "Cam kết",
            },
        ),  # fmt: skip
        allowed=EDIT,
        ok=(201,),
    ),
    "POST /api/v1/reviews": Case(
        lambda w, i: ("post", api("/reviews"), {"year": 2025, "member_id": side(w, i, "anh", "khe").pk}),
        allowed=EDIT,
        ok=(201,),
    ),
    "GET /api/v1/reviews/{review_id}": Case(
        lambda w, i: ("get", api(f"/reviews/{side(w, i, 'rv_in', 'rv_out').pk}"), None)
    ),
    "PUT /api/v1/reviews/{review_id}/self": Case(
        lambda w, i: ("put", api(f"/reviews/{side(w, i, 'rv_in', 'rv_out').pk}/self"), {"form": "2C"}),
        allowed=EDIT,
    ),
    "POST /api/v1/reviews/{review_id}/assessment": Case(
        lambda w, i: (
            "post",
            api(f"/reviews/{side(w, i, 'rs_in', 'rs_out').pk}/assessment"),
            {"cell_score": 80, "cell_level": "good", "votes_for": 3, "votes_base": 5},
        ),  # fmt: skip
        allowed=EDIT,
    ),
    "POST /api/v1/reviews/{review_id}/decision": Case(
        lambda w, i: (
            "post",
            api(f"/reviews/{side(w, i, 'rr_in', 'rr_out').pk}/decision"),
            {"level": "good", "number": "12-QĐ/ĐU"},
        ),  # fmt: skip
        allowed=DECIDE,
    ),
    "GET /api/v1/reviews/{review_id}/form.docx": Case(
        lambda w, i: ("get", api(f"/reviews/{side(w, i, 'rv_in', 'rv_out').pk}/form.docx"), None)
    ),
    "GET /api/v1/inspection/overview": Case(
        lambda w, i: ("get", api(f"/inspection/overview?org={'C1' if i else 'C2'}"), None), allowed=CONF
    ),
    **{
        f"GET /api/v1/inspection/{sub}": Case(
            lambda w, i, sub=sub: ("get", api(f"/inspection/{sub}?org={'C1' if i else 'C2'}"), None), allowed=CONF
        )
        for sub in ("programmes", "inspections", "disciplines", "notices", "complaints")
    },
    "POST /api/v1/inspection/programmes": Case(
        lambda w, i: ("post", api("/inspection/programmes"), {
            "org": "C1-T1" if i else "C2-T1", "body": "cell", "year": 2026, "title": "Chương trình",
            "adopted_on": "2026-01-05"}), allowed=CONF, ok=(201,), outside=400,
    ),
    "GET /api/v1/inspection/programmes/{programme_id}": Case(
        lambda w, i: ("get", api(f"/inspection/programmes/{side(w, i, 'ip_in', 'ip_out').pk}"), None), allowed=CONF,
        denied=404,
    ),
    "POST /api/v1/inspection/programmes/{programme_id}/items": Case(
        lambda w, i: ("post", api(f"/inspection/programmes/{side(w, i, 'ip_in', 'ip_out').pk}/items"), {
            "activity": "inspection", "method": "regular", "subject_org": "C1-T1" if i else "C2-T1",
            "content": "Sinh hoạt", "starts_on": "2026-03-01", "due_on": "2026-04-01", "carried_by": "UBKT"}),
        allowed=CONF, ok=(201,), denied=404,
    ),
    "POST /api/v1/inspection/programmes/{programme_id}/items/{item_id}/progress": Case(
        lambda w, i: ("post", api(f"/inspection/programmes/{side(w, i, 'ip_in', 'ip_out').pk}/items/"
                                  f"{side(w, i, 'it_in', 'it_out').pk}/progress"), {"state": "under_way"}),
        allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/inspections": Case(
        lambda w, i: ("post", api("/inspection/inspections"), {
            "org": "C1" if i else "C2", "body": "commission", "activity": "supervision", "method": "signs",
            "subject_org": "C1-T1" if i else "C2-T1", "content": "Dấu hiệu", "decided_on": "2026-05-01",
            "team": "Tổ giám sát", "ends_on": "2026-06-01"}), allowed=CONF, ok=(201,), outside=400,
    ),
    "GET /api/v1/inspection/inspections/{inspection_id}": Case(
        lambda w, i: ("get", api(f"/inspection/inspections/{side(w, i, 'ii_in', 'ii_out').pk}"), None),
        allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/inspections/{inspection_id}/conclusion": Case(
        lambda w, i: ("post", api(f"/inspection/inspections/{side(w, i, 'iio_in', 'iio_out').pk}/conclusion"),
                      {"concluded_on": "2026-03-03", "findings": "Tốt"}), allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/disciplines": Case(
        lambda w, i: ("post", api("/inspection/disciplines"), {
            "org": "C1-T1" if i else "C2-T1", "body": "cell", "subject_member_id": side(w, i, "an", "vo").pk,
            "conduct": "Vắng sinh hoạt", "conduct_from": "2026-03-01", "gravity": "reprimand"}),
        allowed=CONF, ok=(201,), outside=400,
    ),
    "GET /api/v1/inspection/disciplines/{discipline_id}": Case(
        lambda w, i: ("get", api(f"/inspection/disciplines/{side(w, i, 'id_in', 'id_out').pk}"), None),
        allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/disciplines/{discipline_id}/decision": Case(
        lambda w, i: ("post", api(f"/inspection/disciplines/{side(w, i, 'ido_in', 'ido_out').pk}/decision"), {
            "form": "reprimand", "decided_on": "2026-06-10", "announced_on": "2026-06-10", "votes_for": 3,
            "votes_base": 4, "hearing_on": "2026-06-05"}), allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/disciplines/{discipline_id}/appeals": Case(
        lambda w, i: ("post", api(f"/inspection/disciplines/{side(w, i, 'id_in', 'id_out').pk}/appeals"),
                      {"filed_on": "2026-06-20", "content": "Xin xem xét"}), allowed=CONF, ok=(201,), denied=404,
    ),
    "POST /api/v1/inspection/appeals/{appeal_id}/answer": Case(
        lambda w, i: ("post", api(f"/inspection/appeals/{side(w, i, 'ia_in', 'ia_out').pk}/answer"),
                      {"outcome": "upheld", "decided_on": "2026-07-01", "decided_by": "UBKT"}),
        allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/disciplines/{discipline_id}/announce": Case(
        lambda w, i: ("post", api(f"/inspection/disciplines/{side(w, i, 'idu_in', 'idu_out').pk}/announce"),
                      {"announced_on": "2026-06-12"}), allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/disciplines/{discipline_id}/defer": Case(
        lambda w, i: ("post", api(f"/inspection/disciplines/{side(w, i, 'ido_in', 'ido_out').pk}/defer"), {
            "deferral": "hospital", "deferred_until": (today() + dt.timedelta(days=60)).isoformat()}),
        allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/disciplines/{discipline_id}/drop": Case(
        lambda w, i: ("post", api(f"/inspection/disciplines/{side(w, i, 'ido_in', 'ido_out').pk}/drop"),
                      {"decided_on": "2026-06-10", "note": "Đã khắc phục"}), allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/inspections/{inspection_id}/reports": Case(
        lambda w, i: ("post", api(f"/inspection/inspections/{side(w, i, 'iio_in', 'iio_out').pk}/reports"),
                      {"result_report": "Kết quả", "result_on": "2026-03-02"}), allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/inspections/{inspection_id}/recommendations/{recommendation_id}/done": Case(
        lambda w, i: ("post", api(f"/inspection/inspections/{side(w, i, 'ii_in', 'ii_out').pk}/recommendations/"
                                  f"{side(w, i, 'ir_in', 'ir_out').pk}/done"), {"done_on": "2026-03-05"}),
        allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/complaints/{complaint_id}/close": Case(
        lambda w, i: ("post", api(f"/inspection/complaints/{side(w, i, 'icp_in', 'icp_out').pk}/close"),
                      {"closed_on": "2026-06-01", "outcome": "Đã trả lời"}), allowed=CONF, denied=404,
    ),
    "POST /api/v1/inspection/notices": Case(
        lambda w, i: ("post", api("/inspection/notices"), {
            "member_id": side(w, i, "an", "vo").pk, "source": "state", "source_name": "UBND xã",
            "measure": "Khiển trách", "decided_on": "2026-05-01", "received_on": "2026-05-03"}),
        allowed=CONF, ok=(201,),
    ),
    "POST /api/v1/inspection/complaints": Case(
        lambda w, i: ("post", api("/inspection/complaints"), {
            "org": "C1" if i else "C2", "kind": "complaint", "received_on": "2026-05-02", "content": "Khiếu nại mới"}),
        allowed=CONF, ok=(201,), outside=400,
    ),
    **{f"GET /api/v1/documents/{sub}": Case(lambda w, i, sub=sub: ("get", api(f"/documents/{sub}?org={'C1' if i else 'C2'}"),
                                                                  None)) for sub in ("outgoing", "incoming")},  # fmt: skip
    "GET /api/v1/congresses": Case(lambda w, i: ("get", api(f"/congresses?org={'C1-T1' if i else 'C2-T1'}"), None)),
    "POST /api/v1/congresses": Case(lambda w, i: ("post", api("/congresses"), {
        "org": "C1-T1" if i else "C2-T1", "term_name": "2031–2036", "starts_on": "2026-04-01", "ends_on": "2026-04-01"}),
        allowed=EDIT, ok=(201,), outside=400),
    "GET /api/v1/congresses/{congress_id}": Case(lambda w, i: ("get", api(
        f"/congresses/{side(w, i, 'cg_in', 'cg_out').pk}"), None)),
    "POST /api/v1/congresses/{congress_id}/summon": Case(lambda w, i: ("post", api(
        f"/congresses/{side(w, i, 'cg_in', 'cg_out').pk}/summon"), {}), allowed=EDIT),
    "PUT /api/v1/congresses/{congress_id}/presence": Case(lambda w, i: ("put", api(
        f"/congresses/{side(w, i, 'cg_in', 'cg_out').pk}/presence"), {"present": []}), allowed=EDIT),
    "POST /api/v1/congresses/{congress_id}/elections": Case(lambda w, i: ("post", api(
        f"/congresses/{side(w, i, 'cg_in', 'cg_out').pk}/elections"), {
        "position": "deputy", "held_on": "2026-03-20", "candidates": [w["duc" if i else "khe"].pk]}),
        allowed=EDIT, ok=(201, 400)),  # the second writer finds the first ballot not yet counted
    "POST /api/v1/congresses/elections/{election_id}/count": Case(lambda w, i: ("post", api(
        f"/congresses/elections/{side(w, i, 'ce_in', 'ce_out').pk}/count"), {
        "ballots_issued": 1, "ballots_valid": 1, "votes": []}), allowed=EDIT, ok=(409,)),  # counted once already
    "DELETE /api/v1/congresses/elections/{election_id}": Case(lambda w, i: ("delete", api(
        f"/congresses/elections/{side(w, i, 'ce_in', 'ce_out').pk}"), None), allowed=EDIT, ok=(409,)),  # counted
    "POST /api/v1/congresses/{congress_id}/confirm": Case(lambda w, i: ("post", api(
        f"/congresses/{side(w, i, 'cg_in', 'cg_out').pk}/confirm"), {}), allowed=EDIT, ok=(200, 409)),
    "GET /api/v1/dues/{code}/months/{month}": Case(lambda w, i: ("get", api(
        f"/dues/{'C1-T1' if i else 'C2-T1'}/months/2026-03"), None)),
    "POST /api/v1/dues/{code}/months/{month}/payments": Case(lambda w, i: ("post", api(
        f"/dues/{'C1-T1' if i else 'C2-T1'}/months/2026-03/payments"), {"paid_on": "2026-03-05", "payments": [
            {"member_id": side(w, i, "duc", "khe").pk, "amount": 5000}]}), allowed=EDIT, ok=(201,)),
    "GET /api/v1/dues/members/{member_id}": Case(lambda w, i: ("get", api(
        f"/dues/members/{side(w, i, 'duc', 'khe').pk}?year=2026"), None)),
    "GET /api/v1/dues/{code}/rollup": Case(lambda w, i: ("get", api(f"/dues/{'C1' if i else 'C2'}/rollup"), None)),
    "GET /api/v1/dues/{code}/unpaid": Case(lambda w, i: ("get", api(f"/dues/{'C1' if i else 'C2'}/unpaid"), None)),
    "POST /api/v1/dues/{code}/reports": Case(lambda w, i: ("post", api(f"/dues/{'C1' if i else 'C2'}/reports"),
                                                            {"period": "2026-02"}), allowed=EDIT, ok=(201,)),
    "GET /api/v1/stats/{code}": Case(lambda w, i: ("get", api(f"/stats/{'C1' if i else 'C2'}"), None)),
    "GET /api/v1/stats/{code}/snapshots": Case(lambda w, i: ("get", api(f"/stats/{'C1' if i else 'C2'}/snapshots"),
                                                              None)),
    "POST /api/v1/stats/{code}/snapshots": Case(lambda w, i: ("post", api(f"/stats/{'C1' if i else 'C2'}/snapshots"),
                                                               {"on": "2026-01-01"}), allowed=EDIT, ok=(201,)),
    "GET /api/v1/stats/snapshots/{snapshot_id}": Case(lambda w, i: ("get", api(
        f"/stats/snapshots/{side(w, i, 'ss_in', 'ss_out').pk}"), None)),
    "GET /api/v1/stats/{code}/grassroots": Case(lambda w, i: ("get", api(f"/stats/{'C1' if i else 'C2'}/grassroots"),
                                                               None)),
    "POST /api/v1/documents/outgoing": Case(lambda w, i: ("post", api("/documents/outgoing"), {
        "org": "C1" if i else "C2", "doc_type": "KH", "issued_on": "2026-03-02", "subject": "Kế hoạch"}),
        allowed=EDIT, ok=(201,), outside=400),
    "POST /api/v1/documents/incoming": Case(lambda w, i: ("post", api("/documents/incoming"), {
        "org": "C1" if i else "C2", "received_on": "2026-03-02", "sender": "Tỉnh ủy", "subject": "Công văn"}),
        allowed=EDIT, ok=(201,), outside=400),
    **{f"GET /api/v1/documents/{kind}/{{doc_id}}{tail}": Case(
        lambda w, i, kind=kind, key=key, tail=tail: ("get", api(f"/documents/{kind}/{side(w, i, key + '_in', key + '_out').pk}"
                                                               f"{tail}"), None))
       for kind, key in (("outgoing", "do"), ("incoming", "di")) for tail in ("", "/file")},  # fmt: skip
    "POST /api/v1/documents/outgoing/{doc_id}/void": Case(lambda w, i: ("post", api(
        f"/documents/outgoing/{side(w, i, 'do_in', 'do_out').pk}/void"), {"reason": "Nhầm"}), allowed=EDIT),
    "POST /api/v1/documents/incoming/{doc_id}/handle": Case(lambda w, i: ("post", api(
        f"/documents/incoming/{side(w, i, 'di_in', 'di_out').pk}/handle"), {"status": "handling", "handler": "VP"}),
        allowed=EDIT),
    **{f"POST /api/v1/documents/{kind}/{{doc_id}}/file": Case(lambda w, i, kind=kind, key=key: ("post", api(
        f"/documents/{kind}/{side(w, i, key + '_bare_in', key + '_bare_out').pk}/file"),
        {"file": SimpleUploadedFile("a.pdf", pdf_with_text(["Ban da ky"]))}), allowed=EDIT, ok=(201,))
       for kind, key in (("outgoing", "do"), ("incoming", "di"))},  # fmt: skip
    **{f"GET /api/v1/documents/{sub}": Case(lambda w, i, sub=sub: ("get", api(f"/documents/{sub}?org={'C1' if i else 'C2'}"),
                                                                  None)) for sub in ("dispatches", "inbox")},  # fmt: skip
    "POST /api/v1/documents/dispatches": Case(lambda w, i: ("post", api("/documents/dispatches"), {
        "org": "C1" if i else "C2", "kind": "document", "title": "Thông báo mới"}), allowed=EDIT, ok=(201,), outside=400),
    "GET /api/v1/documents/dispatches/{dispatch_id}": Case(lambda w, i: ("get", api(
        f"/documents/dispatches/{side(w, i, 'dd_in', 'dd_out').pk}"), None)),
    **{f"GET /api/v1/documents/deliveries/{{delivery_id}}{tail}": Case(lambda w, i, tail=tail: ("get", api(
        f"/documents/deliveries/{side(w, i, 'dv_in', 'dv_out').pk}{tail}"), None))
       for tail in ("", "/document", "/answer-file")},  # fmt: skip
    "POST /api/v1/documents/deliveries/{delivery_id}/read": Case(lambda w, i: ("post", api(
        f"/documents/deliveries/{side(w, i, 'dv_in', 'dv_out').pk}/read"), {})),
    "GET /api/v1/documents/handbook": Case(lambda w, i: ("get", api(f"/documents/handbook?org={'C1' if i else 'C2'}"),
                                                         None)),  # fmt: skip
    "GET /api/v1/documents/handbook/{slug}": Case(lambda w, i: ("get", api(
        f"/documents/handbook/sinh-hoat-chi-bo?org={'C1' if i else 'C2'}"), None)),
    "PUT /api/v1/documents/handbook/{slug}": Case(lambda w, i: ("put", api("/documents/handbook/sinh-hoat-chi-bo"), {
        "org": "C1" if i else "C2", "title": "Sinh hoạt", "body": "Các bước"}), allowed=EDIT, outside=400),
    "POST /api/v1/documents/deliveries/{delivery_id}/answer": Case(lambda w, i: ("post", api(
        f"/documents/deliveries/{side(w, i, 'dv_in', 'dv_out').pk}/answer"), {
        "answer": "Báo cáo", "file": SimpleUploadedFile("a.pdf", pdf_with_text(["Bao cao"]))}), allowed=EDIT),
}


# --- discovery ----------------------------------------------------------------------------------------------


def _names(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _names(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            yield f"{ns}:{p.name}" if ns else p.name


def discovered_pages() -> set[str]:
    names = set(_names(get_resolver().url_patterns))
    api_ops = {n for n in names if n.startswith("api:")} - {
        "api:openapi-json",
        "api:openapi-view",
        "api:api-root",
    }
    # the Django admin is for superusers only; test_admin_site_is_for_superusers covers it as a whole
    return {n for n in names if not n.startswith("admin:")} - api_ops


def discovered_operations() -> set[str]:
    from dangvu.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    return {f"{m.upper()} {path}" for path, ops in schema["paths"].items() for m in ops}


def test_every_address_is_in_the_matrix():
    assert discovered_pages() == set(PAGES), "pages without an entry (or stale entries) in PAGES"
    assert discovered_operations() == set(API), "API operations without an entry (or stale entries) in API"


# --- the world ------------------------------------------------------------------------------------------------


@pytest.fixture
def world(tree, people, admin_user, django_user_model):
    by = admin_user
    w = dict(people)

    def transfer(member, to):
        return msvc.transfer_out(
            by=by,
            member=member,
            req=msvc.TransferRequest(
                kind="official", reason="Chuyển nơi ở", event_on=today(), letter_on=today(), to_org=tree[to]
            ),
        )

    w["t_in"] = transfer(people["vo"], "C1-T2")  # from C2 into C1: C1 receives it
    w["t_far"] = transfer(people["khe"], "A")  # C2 to A: nothing to do with C1
    w["t_away"] = transfer(people["hoa"], "C2-T1")  # from C1 to C2: C1 may cancel it
    users = {}
    for role in ROLES:
        u = django_user_model.objects.create_user(f"u-{role}", password="mat-khau-rat-dai-1")
        asvc.grant_create(user=u, organisation=tree["C1"], role=role, by=None)
        users[role] = u
    for key, org in (("u_in", "C1-T1"), ("u_out", "C2-T1")):
        u = django_user_model.objects.create_user(key.replace("_", "-"), password="mat-khau-rat-dai-1")
        w[f"g_{key[2:]}"] = asvc.grant_create(user=u, organisation=tree[org], role="viewer", by=None)
        w[f"t_{key[2:]}_token"], _ = asvc.token_create(user=u, name="script", by=None)
        w[key] = u
    w["users"] = users
    for key, code in (("in", "C1-T1"), ("out", "C2-T1")):
        org = tree[code]
        m = mtsvc.schedule(by=by, org=org, data=mtsvc.Schedule(date=dt.date(2026, 3, 10)))
        lines = [{"member_id": x.member_id, "presence": "present"} for x in mtsvc.summoned(org, m.date)]
        mtsvc.roll_call(by=by, meeting=m, marks={x["member_id"]: mtsvc.Mark("present") for x in lines})
        w[f"f_{key}"] = mtsvc.attach(
            by=by, meeting=m, title="Dự thảo", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 draft")
        )
        w[f"s_{key}"] = mtsvc.speaker_add(by=by, meeting=m, member=None, name="Khách", opinion="Ý kiến")
        w[f"v_{key}"] = mtsvc.vote_add(by=by, meeting=m, kind="ordinary", subject="Nghị quyết", votes_for=1)
        w[f"m_{key}"], w[f"lines_{key}"] = m, lines
    w["note_out"] = Notification.objects.create(user=w["u_out"], title="Thư riêng", url="/")
    w["job_out"] = _done_job(w["u_out"], "Việc của người khác")
    for key, code, title in (("in", "C1-T1", ""), ("out", "C2-T1", "Sổ Khe Bàn riêng")):
        d = dsvc.dossier_open(
            by=by, org=tree[code], code="TC01", year=2026, data={"title": title} if title else {}
        )
        w[f"d_{key}"] = d
        w[f"df_{key}"] = dsvc.file_add(by=by, dossier=d, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 so"))
    linked = dsvc.dossier_open(by=by, org=tree["C1-T2"], code="TC01", year=2026)
    w["dl_in"] = dsvc.link_add(by=by, dossier=linked, kind="register")
    w["dl_out"] = dsvc.link_add(by=by, dossier=w["d_out"], kind="register")
    w["cat"] = Catalogue.objects.get(org_type__code="cbtt-thon", year=2020)
    for key, draft, org, reviewed in (("in", "duc", "C1-T1", "an"), ("out", "khe", "C2-T1", "vo")):
        w[f"rv_{key}"] = esvc.review_open(by=by, year=2025, member=people[draft])
        sub = esvc.review_open(by=by, year=2025, org=tree[org])
        esvc.review_self(by=by, review=sub, data=esvc.SelfReview(self_score="80", self_level="good"))
        w[f"rs_{key}"] = esvc.review_submit(by=by, review=sub)
        rev = esvc.review_open(by=by, year=2025, member=people[reviewed])
        esvc.review_self(by=by, review=rev, data=esvc.SelfReview(self_score="80", self_level="good"))
        esvc.review_submit(by=by, review=rev)
        w[f"rr_{key}"] = esvc.review_assess(by=by, review=rev, data=esvc.Assessment(
            cell_score="80", cell_level="good", votes_for=3, votes_base=4))  # fmt: skip
    from dangvu.admission import services as adsvc

    for key, code, intro in (("in", "C1-T1", "duc"), ("out", "C2-T1", "khe")):
        c = adsvc.case_create(by=by, org=tree[code], data={
            "full_name": f"Quần chúng {key}", "sex": "nam", "birth_date": dt.date(2000, 1, 1),
            "proposed_by": "doan-tn", "proposed_on": dt.date(2025, 1, 10)})  # fmt: skip
        w[f"ai_{key}"] = adsvc.introducer_add(by=by, case=c, member=people[intro], since=dt.date(2020, 1, 1),
                                              assigned_on=dt.date(2025, 4, 1))  # fmt: skip
        w[f"af_{key}"] = adsvc.file_add(by=by, case=c, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 don"))
        w[f"ac_{key}"] = c
        # a resolution on record, to print (written directly: this table tests who may read it, not the rules)
        from dangvu.admission.models import Step

        printed = adsvc.case_create(by=by, org=tree[code], data={
            "full_name": f"Quần chúng đã xét {key}", "sex": "nu", "birth_date": dt.date(2001, 1, 1),
            "proposed_by": "doan-tn", "proposed_on": dt.date(2025, 1, 10)})  # fmt: skip
        admission_vote = mtsvc.vote_add(by=by, meeting=w[f"m_{key}"], kind="admission", subject="Đề nghị kết nạp",
                                        votes_for=1)  # fmt: skip
        Step.objects.create(case=printed, kind="cell_resolution", done_on=dt.date(2026, 3, 10), vote=admission_vote,
                            number="01-NQ/CB")  # fmt: skip
        w[f"acf_{key}"] = printed
    from dangvu.admission import villages as vl

    w["tree"] = tree
    for key, commune in (("in", "C1"), ("out", "C2")):
        w[f"vu_{key}"] = vl.unit_create(by=by, commune=tree[commune], name="Thôn Một", valid_from=dt.date(2025, 1, 1))
        w[f"vu2_{key}"] = vl.unit_create(by=by, commune=tree[commune], name="Thôn Hai", valid_from=dt.date(2025, 1, 1))
    from dangvu.organizations import ahead

    for key, code in (("in", "C1-T1"), ("out", "C2-T1")):
        w[f"pd_{key}"] = ahead.record(by=by, data={
            "kind": "rename", "decision_number": f"Số 9{len(key)}-QĐ/ĐU", "org": code, "name": f"Chi bộ mới {key}",
            "effective_on": today() + dt.timedelta(days=30)})  # fmt: skip
    from dangvu.inspection import services as isvc

    for key, commune, cell, m1, m2 in (("in", "C1", "C1-T1", "duc", "an"), ("out", "C2", "C2-T1", "khe", "vo")):
        p = isvc.programme_create(by=by, org=tree[commune], data={
            "body": "commission", "year": 2026, "title": "Chương trình", "adopted_on": dt.date(2026, 1, 5)})  # fmt: skip
        w[f"ip_{key}"] = p
        w[f"it_{key}"] = isvc.item_add(by=by, programme=p, data={
            "activity": "inspection", "method": "regular", "subject_org": tree[cell], "content": "Sinh hoạt",
            "starts_on": dt.date(2026, 2, 1), "due_on": dt.date(2026, 3, 1), "carried_by": "UBKT"})  # fmt: skip
        base = {"body": "commission", "activity": "inspection", "method": "signs", "subject_org": tree[cell],
                "content": "Dấu hiệu", "decided_on": dt.date(2026, 3, 1), "ends_on": dt.date(2026, 4, 1), "team": "Tổ"}
        ii = isvc.inspection_open(by=by, org=tree[commune], data=base)
        # a self-report's scan, stored directly (the upload's checks are tested elsewhere; this table tests who reads)

        data = b"%PDF-1.4 bao cao"
        ii.self_report_sha256, ii.self_report_kind = hashlib.sha256(data).hexdigest(), "pdf"
        ii.self_report_file.save("bc.pdf", SimpleUploadedFile("bc.pdf", data))
        isvc.inspection_conclude(by=by, inspection=ii, data={"concluded_on": dt.date(2026, 3, 3), "findings": "x",
                                                             "violation": True},
                                 recommendations=[isvc.RecommendationIn("Khắc phục", dt.date(2026, 4, 3))])  # fmt: skip
        w[f"ii_{key}"], w[f"ir_{key}"] = ii, ii.recommendations.get()
        w[f"iio_{key}"] = isvc.inspection_open(by=by, org=tree[commune], data={**base, "content": "Giám sát khác"})
        subject = {"body": "cell", "subject_member": people[m1], "conduct": "Vắng", "gravity": "reprimand",
                   "conduct_from": dt.date(2026, 3, 1)}  # fmt: skip
        x = isvc.Decision(form="reprimand", decided_on=dt.date(2026, 6, 1), announced_on=dt.date(2026, 6, 1),
                          votes_for=3, votes_base=4, hearing_on=dt.date(2026, 5, 25))  # fmt: skip
        w[f"id_{key}"] = isvc.discipline_decide(by=by, discipline=isvc.discipline_open(
            by=by, org=tree[cell], data=subject), x=x)  # fmt: skip
        appealed = isvc.discipline_decide(by=by, discipline=isvc.discipline_open(
            by=by, org=tree[cell], data={**subject, "subject_member": people[m2]}), x=x)  # fmt: skip
        w[f"ia_{key}"] = isvc.appeal_file(by=by, discipline=appealed, filed_on=dt.date(2026, 6, 10), content="x")
        w[f"ido_{key}"] = isvc.discipline_open(by=by, org=tree[cell], data=subject)
        w[f"idu_{key}"] = isvc.discipline_decide(by=by, discipline=isvc.discipline_open(  # decided, not announced
            by=by, org=tree[cell], data={**subject, "conduct": "Vắng nhiều lần"}),
            x=isvc.Decision(**{**x.__dict__, "announced_on": None}))  # fmt: skip
        c = isvc.complaint_add(by=by, org=tree[commune], data={"kind": "complaint", "received_on": dt.date(2026, 5, 1),
                                                               "content": "Khiếu nại", "filer": "Người gửi"})  # fmt: skip
        c.handlers.add(*users.values())
        w[f"icp_{key}"] = c
    signed = pdf_with_text(["Van ban"])  # files attached as the services leave them, without their checks (speed)

    def stored(obj, data=signed, **fields):
        for k, v in {"file_sha256": hashlib.sha256(data).hexdigest(), "file_kind": "pdf", **fields}.items():
            setattr(obj, k, v)
        obj.file.save("a.pdf", ContentFile(data))
        return obj

    for key, commune in (("in", "C1"), ("out", "C2")):
        w[f"do_{key}"] = stored(docsvc.outgoing_add(by=by, org=tree[commune], data={
            "doc_type": "KH", "issued_on": dt.date(2026, 3, 2), "subject": "Kế hoạch"}))
        w[f"do_bare_{key}"] = docsvc.outgoing_add(by=by, org=tree[commune], data={
            "doc_type": "BC", "issued_on": dt.date(2026, 3, 2), "subject": "Báo cáo"})
        w[f"di_{key}"] = stored(docsvc.incoming_add(by=by, org=tree[commune], data={
            "received_on": dt.date(2026, 3, 2), "sender": "Tỉnh ủy", "subject": "Hướng dẫn"}))
        w[f"di_bare_{key}"] = docsvc.incoming_add(by=by, org=tree[commune], data={
            "received_on": dt.date(2026, 3, 2), "sender": "Tỉnh ủy", "subject": "Công văn"})
        for doc in (w[f"do_{key}"], w[f"di_{key}"]):  # the searchable copy the worker made of each scan
            copy = OcrCopy(label=doc._meta.label_lower, object_id=doc.pk, source_sha256=doc.file_sha256, state="done",
                           sha256=hashlib.sha256(signed).hexdigest(), pages=1)
            copy.file.save("ocr.pdf", ContentFile(signed))
        d = DocxDocument()
        d.add_paragraph("{{ number }} {{ subject }}")
        buf = io.BytesIO()
        d.save(buf)
        w[f"dt_{key}"] = docsvc.template_upload(by=by, org=tree[commune], doc_type="KH", name="Mẫu kế hoạch",
                                                upload=SimpleUploadedFile("m.docx", buf.getvalue()))
        own = handbook.save(by=by, org=tree[commune], slug=None, title="Quy trình riêng", body="Các bước",
                            base_version=None)
        hf = HandbookFile(page=own, title="Mẫu", sha256=hashlib.sha256(signed).hexdigest(), kind="pdf")
        hf.file.save("m.pdf", ContentFile(signed))
        w[f"hf_{key}"] = hf
        w[f"dd_{key}"] = docsvc.dispatch_send(by=by, org=tree[commune], data={
            "kind": "request", "title": "Báo cáo sơ kết", "outgoing": w[f"do_{key}"], "scope": "children",
            "due_on": today() + dt.timedelta(days=7)})
        # what D sent to the commune: the commune's people read and answer it (the sender's never do)
        sent = stored(docsvc.outgoing_add(by=by, org=tree["D"], data={
            "doc_type": "CV", "issued_on": dt.date(2026, 3, 2), "subject": "Báo cáo quý"}))
        ask = docsvc.dispatch_send(by=by, org=tree["D"], data={
            "kind": "request", "title": f"Báo cáo quý ({commune})", "outgoing": sent, "scope": "chosen",
            "codes": [commune], "due_on": today() + dt.timedelta(days=7)})
        dv = ask.deliveries.get()
        dv.answer, dv.answered_at = "Đã báo cáo", timezone.now()
        w[f"dv_{key}"] = stored(dv)
    from dangvu.congresses import services as cgsvc

    for key, cell, who in (("in", "C1-T1", "duc"), ("out", "C2-T1", "khe")):
        cg = cgsvc.congress_create(by=by, org=tree[cell], data=cgsvc.NewCongress(
            term_name="2026–2031", starts_on=dt.date(2026, 3, 20), ends_on=dt.date(2026, 3, 20)))
        cgsvc.summon_members(by=by, congress=cg)
        e = cgsvc.election_add(by=by, congress=cg, data=cgsvc.NewElection("secretary", 1, dt.date(2026, 3, 20),
                                                                          [people[who]]))  # fmt: skip
        cgsvc.count(by=by, election=e, issued=1, valid=1, invalid=0, votes={people[who].pk: 1})
        w[f"cg_{key}"], w[f"ce_{key}"] = cg, e
    from dangvu.dues import services as dusvc

    for commune in ("C1", "C2"):
        dusvc.month_open(by=by, org=tree[commune], month=dt.date(2026, 3, 1))
    from dangvu.stats import services as stsvc
    from dangvu.stats.models import FieldDay

    for key, commune, cell, who in (("in", "C1", "C1-T2", "duc"), ("out", "C2", "C2-T1", "khe")):
        w[f"ss_{key}"] = stsvc.snapshot_take(by=by, org=tree[commune], on=dt.date(2026, 6, 30))
        w[f"fd_{key}"] = FieldDay.objects.create(member=people[who], committee=tree[commune], organisation=tree[cell],
                                                 planned_on=dt.date(2026, 12, 5), purpose="Dự sinh hoạt chi bộ")  # fmt: skip
    return w


def _done_job(user, label):
    """A finished export of `user`'s, with its file in storage."""

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from dangvu.jobs.models import Job

    data = b"PK export"
    name = default_storage.save(f"jobs/test/{user.pk}.xlsx", ContentFile(data))
    return Job.objects.create(owner=user, kind="member.export_list", label=label, fingerprint="x", state="done",
                              file_name=name, download_name="a.xlsx", sha256=hashlib.sha256(data).hexdigest())  # fmt: skip


class Rollback(Exception):
    pass


def _request(client, method, url, body):
    if method == "get":
        return client.get(url)
    if url.startswith("/api/") and not any(hasattr(v, "read") for v in (body or {}).values()):
        return getattr(client, method)(url, body, content_type="application/json")
    return client.post(url, body or {})


def _check(role, key, case: Case, w, client, inside: bool):
    method, url, body = case.build(w, inside)
    r = _request(client, method, url, body)
    where = f"{role} {method.upper()} {url} ({'inside' if inside else 'outside'})"
    if inside:
        expected = case.ok if role in case.allowed else (case.denied,)
        assert r.status_code in expected, f"{where}: {r.status_code}, expected {expected}"
        if r.status_code == 302 and not case.to_login:
            assert "/login/" not in r["Location"] and "/2fa/" not in r["Location"], (
                f"{where}: {r['Location']}"
            )
        return
    if case.outside is None:
        if case.absent and r.status_code == 200:
            assert case.absent not in r.content.decode(), f"{where}: shows {case.absent}"
        return
    assert r.status_code == case.outside, f"{where}: {r.status_code}, expected {case.outside}"
    if case.outside == 400:  # named in the body: a field-level refusal, and the attempt is in the log
        assert r.json()["errors"], where
        assert AuditEntry.objects.filter(action="access.denied", user=w["users"][role]).exists(), where


CASES = [("page", k) for k in PAGES] + [("api", k) for k in API]


@pytest.mark.parametrize(("table", "key"), CASES, ids=[k for _, k in CASES])
def test_matrix(table, key, world):
    case = (PAGES if table == "page" else API)[key]
    for role in ROLES:
        user = world["users"][role]
        for inside in (True, False):
            try:
                with transaction.atomic():
                    client = VerifiedClient()
                    client.force_login(user)
                    world["own_token"], _ = asvc.token_create(user=user, name="mine", by=user)
                    world["own_note"] = Notification.objects.create(user=user, title="Của tôi", url="/")
                    world["own_job"] = _done_job(user, "Việc của tôi")
                    _check(role, key, case, world, client, inside)
                    raise Rollback
            except Rollback:
                pass


def test_refusals_outside_the_scope_are_logged(world):
    """A forged id answers 404 and leaves a trace: who tried which address."""
    user = world["users"]["secretary"]
    client = VerifiedClient()
    client.force_login(user)
    url = reverse("members:detail", args=[world["khe"].pk])
    assert client.get(url).status_code == 404
    entry = AuditEntry.objects.filter(action="access.denied", user=user).first()
    assert entry is not None and entry.after["path"] == url and entry.after["status"] == 404


def test_admin_site_is_for_superusers(world, admin_user):
    for role in ROLES:
        client = VerifiedClient()
        client.force_login(world["users"][role])
        r = client.get("/admin/members/member/")
        assert r.status_code == 302 and "/admin/login/" in r["Location"], role
    client = VerifiedClient()
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_api_tokens_follow_the_same_matrix(world):
    """A bearer token acts with its owner's scope: C1's viewer reads C1, gets 404 for C2, 403 on writes."""
    _, raw = asvc.token_create(user=world["users"]["viewer"], name="bot", by=None)
    from django.test import Client

    c = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert c.get(f"/api/v1/members/{world['duc'].pk}").status_code == 200
    assert c.get(f"/api/v1/members/{world['khe'].pk}").status_code == 404
    r = c.patch(f"/api/v1/members/{world['duc'].pk}", {"phone": "1"}, content_type="application/json")
    assert r.status_code == 403
    assert ApiToken.objects.filter(user=world["users"]["viewer"]).count() == 1
