"""URLconf for tests/test_error_pages.py: Samplan's own URLs and error handlers, plus views
that fail on purpose (no real page may raise a server error just to be tested)."""

from django.core.exceptions import BadRequest
from django.urls import path

from samplan import urls as samplan_urls

handler400 = samplan_urls.handler400
handler403 = samplan_urls.handler403
handler404 = samplan_urls.handler404
handler500 = samplan_urls.handler500

SECRET_DETAIL = "KeyError at /internal/path: 'plan_id' (settings.DATABASES)"


def broken(request):
    raise RuntimeError(SECRET_DETAIL)


def bad(request):
    raise BadRequest(SECRET_DETAIL)


urlpatterns = [
    *samplan_urls.urlpatterns,
    path("test-fejl/500/", broken),
    path("test-fejl/400/", bad),
]
