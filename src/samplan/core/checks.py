"""System checks of our own.

``imports``: every module of the package imports. Most run-time dependencies are imported
lazily (inside the task or the view that needs them), so ``manage.py check`` would pass in
an environment that lacks one; importing every module makes a dependency missing from
``pyproject.toml`` fail the check (``make check-package`` runs it in a venv built without
the lock)."""

import importlib
import pkgutil

from django.core import checks

import samplan

# Settings for the test suite only; importing it would set the demo defaults in os.environ.
_SKIP = {"samplan.test_settings"}


@checks.register("imports")
def every_module_imports(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for module in pkgutil.walk_packages(samplan.__path__, prefix="samplan."):
        if module.name in _SKIP:
            continue
        try:
            importlib.import_module(module.name)
        except ImportError as e:
            errors.append(checks.Error(f"{module.name} cannot be imported: {e}", id="samplan.E001"))
    return errors
