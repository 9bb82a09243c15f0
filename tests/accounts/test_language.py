"""One language at a time: the interface is Vietnamese whatever the browser says; another language only when an
account chooses it and it is offered (complete); the admin and the audit log's labels speak Vietnamese."""

import pytest
from django.conf import settings as django_settings

from dangvu.accounts.models import Profile
from dangvu.members import services as msvc
from tests.members.conftest import add, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese(client, admin_user, people):  # noqa: F811
    client.force_login(admin_user)
    r = client.get("/members/?org=C1", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = r.content.decode()
    assert '<html lang="vi">' in html and r["Content-Language"] == "vi"
    assert ">Đảng viên</a>" in html and ">Members</a>" not in html and "Tìm kiếm" in html
    assert 'id="lang"' not in html  # one language offered: no switch
    r = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Đảng vụ — quản trị" in r.content.decode() and "Site administration" not in r.content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="vi">' in client.get("/organisations/").content.decode()


def test_an_account_may_choose_a_language_that_is_offered(client, admin_user, tree, settings):
    settings.LANGUAGES = [*django_settings.LANGUAGES, ("en", "English")]
    client.force_login(admin_user)
    assert 'id="lang"' in client.get("/organisations/").content.decode()
    client.post("/account/language/", {"language": "en", "next": "/organisations/"})
    assert Profile.objects.get(user=admin_user).language == "en"
    html = client.get("/organisations/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in html and ">Members</a>" in html
    client.post("/account/language/", {"language": "xx"})  # not offered: nothing changes
    assert Profile.objects.get(user=admin_user).language == "en"


def test_the_audit_log_names_objects_in_vietnamese(client, admin_user, people):  # noqa: F811
    msvc.member_update(by=admin_user, member=people["duc"], data={"notes": "Chi ủy viên"})
    client.force_login(admin_user)
    html = client.get("/audit/?action=member.update").content.decode()
    assert '<span class="text-muted">đảng viên</span>' in html and ">members.member<" not in html
