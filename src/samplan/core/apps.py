from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samplan.core"
    label = "core"
    verbose_name = "Organisation og adgang"

    def ready(self) -> None:
        from . import (
            api_tokens,  # noqa: F401  (ends API tokens at logout, deactivation, 2FA reset)
            checks,  # noqa: F401  (registers the system checks)
            middleware,  # noqa: F401  (stamps the login time into the session)
        )
