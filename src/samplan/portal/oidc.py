"""MitID login through NemLog-in (OpenID Connect, authorization code flow with PKCE).

Configured entirely from settings (``SAMPLAN_OIDC``, filled from SAMPLAN_OIDC_* environment
variables); without an issuer, client id and secret the login is switched off and the
button hidden. The provider's discovery document gives the endpoints and keys; Authlib
checks state, nonce, PKCE and the id_token's signature, issuer, audience and expiry.

The citizen is found by the CPR number in a configurable claim (NemLog-in's
CprNumberIdentifier-style claim) and must already have a login in Samplan
(``Citizen.user``). The CPR number is never logged or stored in the session."""

import logging

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from samplan.core.models import Role, User

logger = logging.getLogger(__name__)
CLIENT_NAME = "nemlogin"


class LoginRefused(Exception):
    """The provider's answer could not be used to log anyone in (message in Danish)."""


def config() -> dict:
    return dict(getattr(settings, "SAMPLAN_OIDC", {}) or {})


def enabled() -> bool:
    c = config()
    return bool(c.get("ISSUER") and c.get("CLIENT_ID") and c.get("CLIENT_SECRET"))


def client():
    """A fresh client for the configured provider (settings may change between tests)."""
    c = config()
    oauth = OAuth()
    return oauth.register(
        CLIENT_NAME,
        client_id=c["CLIENT_ID"],
        client_secret=c["CLIENT_SECRET"],
        server_metadata_url=c["ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": c.get("SCOPE") or "openid",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": c.get("TOKEN_AUTH_METHOD") or "client_secret_basic",
            "default_timeout": 10,
        },
    )


def authorize_params() -> dict:
    acr = config().get("ACR_VALUES")
    return {"acr_values": acr} if acr else {}


def _digits(value) -> str:
    text = str(value or "")
    # NemLog-in may prefix the number (e.g. "CPR:0101…"); keep the last ten digits.
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[-10:] if len(digits) >= 10 else ""


def cpr_from(claims: dict, userinfo: dict | None = None) -> str:
    claim = config().get("CPR_CLAIM") or "dk:gov:saml:attribute:CprNumberIdentifier"
    for source in (claims or {}, userinfo or {}):
        cpr = _digits(source.get(claim))
        if cpr:
            return cpr
    return ""


def citizen_user_for_cpr(cpr: str) -> User:
    """The active citizen login whose citizen register entry has this CPR number."""
    from samplan.citizens.models import Citizen

    if not cpr:
        raise LoginRefused("MitID sendte ikke dit CPR-nummer, så vi kunne ikke finde dig.")
    user_ids = set(
        Citizen.objects.filter(cpr=cpr, user__isnull=False, user__is_active=True, user__role=Role.CITIZEN).values_list(
            "user_id", flat=True
        )
    )
    if len(user_ids) != 1:
        # Never log the number itself.
        logger.info("MitID login refused: %s matching citizen logins", len(user_ids))
        raise LoginRefused(
            "Vi kan ikke finde dig som borger med adgang til Min side. Kontakt din sagsbehandler, hvis du mener, det er en fejl."
        )
    try:
        return User.objects.get(pk=user_ids.pop())
    except ObjectDoesNotExist as exc:  # pragma: no cover - deleted between the two queries
        raise LoginRefused("Vi kan ikke finde dig som borger.") from exc
