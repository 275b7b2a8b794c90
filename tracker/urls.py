from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_safe

from . import invitation_views, oidc, views
from .forms import SignInForm

admin.site.site_header = "Recommendation progress tracker administration"
admin.site.site_title = "Tracker administration"
# Every deletion goes through the one-object delete page, whose log entry reaches the audit trail
# (recommendations/audit.py); the bulk action writes its log without signals and would not.
admin.site.disable_action("delete_selected")

# Pages with a form answer GET and POST; pages that only show something, GET alone (405 otherwise).
FORM_METHODS = require_http_methods(["GET", "HEAD", "POST"])

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", FORM_METHODS(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        require_safe(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        FORM_METHODS(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        require_safe(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("accounts/password_change/", FORM_METHODS(views.PasswordChangeView.as_view()), name="password_change"),
    path(
        "accounts/password_change/done/",
        require_safe(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("accounts/session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    path("accounts/two-factor/", views.two_factor_settings, name="two_factor_settings"),
    path("accounts/two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/set-up/", views.two_factor_set_up, name="two_factor_set_up"),
    path("accounts/two-factor/turn-off/", views.two_factor_turn_off, name="two_factor_turn_off"),
    path("accounts/invitations/", invitation_views.invitation_list, name="invitation_list"),
    path("accounts/invitations/new/", invitation_views.invitation_new, name="invitation_new"),
    path("accounts/invitations/upload/", invitation_views.invitation_upload, name="invitation_upload"),
    path("accounts/invitations/<int:pk>/", invitation_views.invitation_detail, name="invitation"),
    path("accounts/invitations/<int:pk>/resend/", invitation_views.invitation_resend, name="invitation_resend"),
    path("accounts/invitations/<int:pk>/revoke/", invitation_views.invitation_revoke, name="invitation_revoke"),
    path("accounts/invitation/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
    path("oidc/authenticate/", oidc.sign_in_start, name="oidc_start"),
    path("oidc/callback/", oidc.sign_in_callback, name="oidc_callback"),
    path("admin/", admin.site.urls),
    path("", include("recommendations.urls")),
]

if settings.BENCHMARK_VIEWS:
    from bench.views import baseline

    urlpatterns.insert(0, path("bench/baseline/", baseline, name="bench_baseline"))
