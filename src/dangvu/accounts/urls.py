from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/2fa/", views.two_factor, name="two_factor"),
    path("account/language/", views.language, name="language"),
    path("account/password/", views.PasswordChange.as_view(), name="password"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("access/", views.access, name="access"),
    path("access/grants/<int:pk>/end/", views.grant_end, name="grant_end"),
    path("access/users/<str:username>/", views.user_detail, name="user"),
    path(
        "access/users/<str:username>/tokens/<int:pk>/revoke/",
        views.user_token_revoke,
        name="user_token_revoke",
    ),
    path("access/users/<str:username>/2fa-reset/", views.user_two_factor_reset, name="user_2fa_reset"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
]
