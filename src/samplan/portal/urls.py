from django.urls import path

from . import views

urlpatterns = [
    path("mit/", views.my_page, name="my-page"),
    path("mit/indsigt/", views.my_access_log, name="my-access-log"),
    path("mit/log-ind/", views.portal_login, name="portal-login"),
    path("mit/log-ind/kode/", views.portal_totp, name="portal-totp"),
    path("mit/mitid/", views.oidc_login, name="oidc-login"),
    path("mit/mitid/retur/", views.oidc_callback, name="oidc-callback"),
]
