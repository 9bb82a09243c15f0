from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health
from .api import api
from .core import views as core_views
from .home import views as home_views

admin.site.site_header = admin.site.site_title = "Đảng vụ — quản trị"
admin.site.index_title = "Quản trị dữ liệu"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("search/", home_views.search, name="search"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", core_views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", core_views.notification_read, name="notification_read"),
    path("organisations/", include("dangvu.organizations.urls")),
    path("members/", include("dangvu.members.urls")),
    path("meetings/", include("dangvu.meetings.urls")),
    path("dossiers/", include("dangvu.dossiers.urls")),
    path("evaluations/", include("dangvu.evaluations.urls")),
    path("admission/", include("dangvu.admission.urls")),
    path("inspection/", include("dangvu.inspection.urls")),
    path("documents/", include("dangvu.documents.urls")),
    path("congresses/", include("dangvu.congresses.urls")),
    path("stats/", include("dangvu.stats.urls")),
    path("dues/", include("dangvu.dues.urls")),
    path("jobs/", include("dangvu.jobs.urls")),
    path("", include("dangvu.accounts.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
