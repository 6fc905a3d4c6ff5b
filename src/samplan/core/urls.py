from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .health import healthz

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/kode/", views.login_totp, name="login-totp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("adgangslog/", views.audit_log, name="audit-log"),
    path("konto/api-noegler/", views.api_tokens_mine, name="api-tokens"),
    path("konto/api-noegler/<str:digest>/tilbagekald/", views.api_token_revoke, name="api-token-revoke"),
    path("administration/api-noegler/", views.api_tokens_admin, name="api-tokens-admin"),
]
