"""``citizen_required``: the gate in front of every page of Min side (/mit/).

* not logged in → the portal login (/mit/log-ind/?next=…);
* logged in with another role → 403 (or home, for the landing page);
* a citizen or relative without a second factor (e.g. logged in at /login/ with a
  password only) → the code step (/mit/log-ind/kode/?next=…), when
  ``SAMPLAN_PORTAL_REQUIRE_2FA`` is on (the default).

Use ``@citizen_required`` for pages only the citizen may see, and
``@citizen_required(relatives=True)`` for pages a relative may also open (what a relative
sees is still decided by the citizen's consent)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from samplan.core import policy

from . import twofactor


def citizen_required(view=None, *, relatives: bool = False, others_home: bool = False):
    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("portal-login"))
            if not (policy.is_citizen(user) or (relatives and policy.is_relative(user))):
                if others_home and policy.is_staff_user(user):
                    return redirect("home")
                raise PermissionDenied(policy.PORTAL_ONLY)
            if not twofactor.session_suffices(request):
                return redirect_to_login(request.get_full_path(), reverse("portal-totp"))
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator
