"""OpenAPI details shared by every Samplan endpoint, whichever app serves it."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object

from .errors import ErrorSerializer


class VerifiedSessionScheme(SessionScheme):
    """The API's session authentication (a verified staff session) is the cookie scheme."""

    target_class = "samplan.core.rest.permissions.VerifiedSessionAuthentication"
    priority = 0


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """The API tokens (django-rest-knox, core/api_tokens.py): ``Authorization: Token <key>``."""

    target_class = "samplan.core.rest.permissions.ExpiringTokenAuthentication"
    name = "tokenAuth"
    priority = 0

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106


class SamplanAutoSchema(AutoSchema):
    """Adds the common error responses (shape in errors.py) and the list filters a view
    declares in ``list_parameters``."""

    def _is_idempotent(self) -> bool:
        """A create wrapped in ``core.idempotency.idempotent`` (it marks the function)."""
        handler = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        return self.method == "POST" and getattr(handler, "idempotent", False)

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self._is_list_view() and self.method == "GET":
            params += list(getattr(self.view, "list_parameters", []))
        if self._is_idempotent():
            from samplan.core.idempotency import IDEMPOTENCY_PARAMETER

            params.append(IDEMPOTENCY_PARAMETER)
        return params

    # Every operation can answer these (a bad filter or body, no or a wrong login, the
    # policy, an unknown id, a wrong Accept header, the rate limits); operations with a
    # body also 413 (too large) and 415 (not JSON). All in the shape of errors.py.
    COMMON_ERRORS = ("400", "401", "403", "404", "406", "429")
    BODY_ERRORS = ("413", "415")

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = list(self.COMMON_ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            codes += self.BODY_ERRORS
        if self._is_idempotent():
            codes += ["409", "422"]  # a duplicate the rules forbid; a reused Idempotency-Key
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
