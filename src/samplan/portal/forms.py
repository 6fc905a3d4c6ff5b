from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from samplan.core import policy
from samplan.core.forms import CodeForm, DKFDSFormMixin  # noqa: F401  (CodeForm: shared code step)


class PortalLoginForm(DKFDSFormMixin, AuthenticationForm):
    """Step 1: username and password. Only citizens and relatives log in here."""

    error_messages = {
        "invalid_login": "Brugernavn eller adgangskode er forkert. Prøv igen.",
        "inactive": "Din adgang er lukket. Kontakt din sagsbehandler.",
        "not_portal": "Her logger borgere og pårørende ind. Medarbejdere logger ind på den almindelige side.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Brugernavn"
        self.fields["password"].label = "Adgangskode"

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not policy.is_portal_user(user):
            raise ValidationError(self.error_messages["not_portal"], code="not_portal")
