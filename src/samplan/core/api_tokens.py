"""API tokens (django-rest-knox): hashed, expiring and revocable.

Only a SHA-512 digest of a token is stored (``knox.AuthToken.digest``) with the first 15
characters (``token_key``) to find it; the key itself is shown once, in the answer of
``POST /api/v1/auth/token/``. Every login makes a new token that expires after
``SAMPLAN_API_TOKEN_HOURS``. A user's tokens end:

* at a web logout (``user_logged_out``): logging out ends every token of that user, so the
  second factor of a new login is needed for new ones — not when a session merely times out
  (core/middleware.SessionLifetimeMiddleware), which is no decision of the user;
* when the user is deactivated (``is_active=False``);
* on a reset of the second factor: the user's TOTP device deleted or given a new key;
* when the user or their municipality's administrator revokes one on a page, or the API's
  ``/auth/logout/`` (this token) and ``/auth/logout-all/`` (all of the user's).

Expired tokens are refused by the authentication and pruned when the user gets a new one
(a read never deletes them: a GET never writes)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from .models import User

# Shown on the pages: the last characters of the stored prefix, never the key.
SHOWN_CHARS = 4


def issue(user: User) -> tuple[AuthToken, str]:
    """A new token for ``user`` (never an old one); returns the row and the key to hand out
    once. The user's expired tokens are pruned on the way."""
    with transaction.atomic():
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        return AuthToken.objects.create(user=user)


def active_for(users: QuerySet) -> QuerySet:
    """The tokens of ``users`` that still work, newest first."""
    return (
        AuthToken.objects.filter(user__in=users, user__is_active=True, expiry__gt=timezone.now())
        .select_related("user")
        .order_by("-created")
    )


def shown_key(token: AuthToken) -> str:
    """What a page shows of a token: its last few prefix characters, e.g. ``…a1b2``."""
    return "…" + token.token_key[-SHOWN_CHARS:]


def expiry_of(token: AuthToken) -> dt.datetime | None:
    return token.expiry


def revoke(token: AuthToken) -> None:
    token.delete()


def revoke_all(user: User) -> int:
    """End every token of ``user``; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


# --- Signals: the ends that do not go through a page ---------------------------------------

# Set on the request by a session timeout: that logout is no decision of the user and leaves
# the API tokens alone (they have their own expiry).
TIMEOUT_ATTR = "samplan_session_timed_out"


@receiver(user_logged_out, dispatch_uid="samplan_api_tokens_logout")
def _end_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None and not getattr(request, TIMEOUT_ATTR, False):
        revoke_all(user)


@receiver(post_save, sender=User, dispatch_uid="samplan_api_tokens_deactivated")
def _end_on_deactivation(sender, instance: User, **kwargs) -> None:
    if not instance.is_active:
        revoke_all(instance)


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="samplan_api_tokens_device_deleted")
def _end_on_device_deleted(sender, instance: TOTPDevice, **kwargs) -> None:
    """A deleted authenticator app is a reset of the second factor (a new device follows)."""
    if instance.confirmed:
        revoke_all(instance.user)


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="samplan_api_tokens_device_rekeyed")
def _end_on_device_rekeyed(sender, instance: TOTPDevice, **kwargs) -> None:
    """A confirmed device that gets a new key (or is unconfirmed again) has been reset."""
    if instance.pk is None:
        return
    old = TOTPDevice.objects.filter(pk=instance.pk).values("key", "confirmed").first()
    if old and old["confirmed"] and (old["key"] != instance.key or not instance.confirmed):
        revoke_all(instance.user)
