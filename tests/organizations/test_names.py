"""Names, not codes: pickers show and take organisation names, branches are named, members are told apart by birth
year (and cell, for namesakes), accounts read in the Vietnamese order."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from dangvu.core.templatetags.dangvu import person_name
from dangvu.organizations.decisions import org_field
from dangvu.organizations.selectors import code_of
from tests.meetings.conftest import meet  # noqa: F401  (fixture)
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_a_picker_suggests_names_and_its_choice_is_understood(client, admin_user, tree):
    client.force_login(admin_user)
    html = client.get("/organisations/suggest/", {"q": "khanh yen"}).content.decode()
    assert '<option value="Đảng bộ xã Khánh Yên (C1)">' in html
    assert code_of("Đảng bộ xã Khánh Yên (C1)") == "C1" and code_of(" c1 ") == "C1"
    assert org_field(admin_user, "Đảng bộ xã Khánh Yên (C1)", "org").code == "C1"
    assert org_field(admin_user, "dang bo xa khanh yen", "org").code == "C1"  # the name alone, without marks


def test_a_transfer_picker_finds_cells_beyond_the_senders_scope(client, tree, django_user_model):
    from dangvu.accounts import services as asvc

    sec = django_user_model.objects.create_user("bithu", password="mat-khau-rat-dai-1")
    asvc.grant_create(user=sec, organisation=tree["C1-T1"], role="secretary", by=None)
    client.force_login(sec)
    assert "Khe Bàn" not in client.get("/organisations/suggest/", {"q": "khe ban"}).content.decode()
    html = client.get("/organisations/suggest/", {"q": "khe ban", "anywhere": "cells"}).content.decode()
    assert "Chi bộ thôn Khe Bàn (C2-T1)" in html


def test_the_meeting_dashboard_names_its_branches(client, admin_user, tree, people, meet):  # noqa: F811
    meet(dt.date(2026, 3, 10), marks={})
    meet(dt.date(2026, 3, 11), marks={}, org="C2-T1")
    client.force_login(admin_user)
    html = client.get("/meetings/", {"org": "D", "period": "2026-03"}).content.decode()
    assert ">Đảng bộ xã Khánh Yên</a>" in html and ">C1</a>" not in html


def test_member_pickers_tell_namesakes_apart(admin_user, tree, add):  # noqa: F811
    from dangvu.members.selectors import member_choices

    a = add(full_name="Lò Văn An", birth_date=dt.date(1960, 7, 1))
    b = add("C1-T2", full_name="Lò Văn An", birth_date=dt.date(1979, 1, 1))
    c = add(full_name="Trần Thị Dung", birth_date=dt.date(1980, 2, 2))
    labels = dict(member_choices([a.pk, b.pk, c.pk]))
    assert labels[a.pk] == "Lò Văn An (1960, Chi bộ thôn Nà Lộc)"
    assert labels[b.pk] == "Lò Văn An (1979, Chi bộ thôn Đồng Tâm)"
    assert labels[c.pk] == "Trần Thị Dung (1980)"


def test_accounts_read_in_the_vietnamese_order(client, tree):
    u = get_user_model().objects.create_user("tien", password="mat-khau-rat-dai-1", first_name="Tiến",
                                              last_name="Nông Văn")  # fmt: skip
    assert person_name(u) == "Nông Văn Tiến"
    client.force_login(u)
    assert '<span class="d-none d-md-inline">Nông Văn Tiến</span>' in client.get("/organisations/").content.decode()
