"""Optimistic concurrency: no lost updates on rows that users edit in place.

Every editable row (the plan's own fields, a plan goal, an effort, a catalogue offer …)
carries ``row_version`` (``Versioned``). A page or API client reads it with the row (a
hidden form field, the API's ``ETag``) and sends it back with the change; the service saves
through ``save_if_unchanged``, one atomic ``UPDATE … SET …, row_version = row_version + 1
WHERE pk = … AND row_version = <expected>``. When another person saved in between, no row
matches and ``EditConflict`` (a ``DomainError``) is raised with the values saved now, so the
page can show both texts and keep what the user typed, and the API can answer 412.

The compare-and-set is done by the database in the UPDATE itself — not read, compare, then
write — so it holds under real concurrency on PostgreSQL (READ COMMITTED re-evaluates the
WHERE against the committed row) as well as on SQLite.

Immutable rows (plan versions, events, the audit trail, locked grant versions) have no
``row_version``: they are never edited, so they cannot lose an update."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils import timezone

from .errors import DomainError

MISSING_VERSION = "Formularen mangler sit versionsnummer. Hent siden igen, og gem derefter."


class Versioned(models.Model):
    """An abstract mixin: the row's edit counter, the lock token of optimistic concurrency."""

    row_version = models.PositiveIntegerField(
        "rækkeversion", default=0, help_text="Tælles op ved hver ændring; bruges til at opdage samtidige ændringer."
    )

    class Meta:
        abstract = True


class EditConflict(DomainError):
    """Someone else saved the row after the user read it. ``current`` holds the saved values
    of the fields the user tried to change, ``version`` the current ``row_version``."""

    def __init__(
        self,
        message: str,
        *,
        current: dict[str, Any],
        version: int,
        changed_by: str = "",
        changed_at=None,
        obj: models.Model | None = None,
    ) -> None:
        super().__init__(message, code="edit_conflict")
        self.current = current
        self.version = version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.obj = obj


def _last_change(obj: models.Model) -> tuple[str, Any]:
    """Who changed the row last and when, from the audit trail (every service records its
    change there in the same transaction): "Navn (rolle)" and the time."""
    from .models import AuditEvent, Role, User

    event = (
        AuditEvent.objects.filter(
            object_type=obj._meta.label, object_id=str(obj.pk), action__in=[AuditEvent.Action.UPDATE, AuditEvent.Action.CREATE]
        )
        .order_by("-id")
        .first()
    )
    if event is None:
        return "en anden", None
    user = User.objects.filter(pk=event.user_id_ref).first() if event.user_id_ref else None
    name = (user.get_full_name() or user.get_username()) if user else (event.username or "en anden")
    role = dict(Role.choices).get(event.role, "")
    return (f"{name} ({role.lower()})" if role else name), event.at


def conflict(obj: models.Model, fields: Iterable[str], *, what: str = "") -> EditConflict:
    """The EditConflict for ``obj`` with the values saved in the database now."""
    names = list(fields)
    model = type(obj)
    row = model._default_manager.filter(pk=obj.pk).values("row_version", *names).first() or {"row_version": 0}
    version = row.pop("row_version")
    changed_by, changed_at = _last_change(obj)
    what = what or str(model._meta.verbose_name).capitalize()
    when = f" kl. {timezone.localtime(changed_at):%H:%M}" if changed_at else ""
    message = (
        f"{what} er ændret af {changed_by}{when}, mens du skrev. "
        "Din tekst er bevaret nedenfor, og den gemte tekst vises ved siden af. Ret til, og gem igen."
    )
    return EditConflict(message, current=row, version=version, changed_by=changed_by, changed_at=changed_at, obj=obj)


def save_if_unchanged(obj: models.Model, expected_version: int | None, fields: Iterable[str], *, what: str = "") -> int:
    """Save ``fields`` of ``obj`` (already set on it) only if its row still has
    ``row_version == expected_version``; bump the version in the same UPDATE and return it.

    ``expected_version=None`` saves unconditionally but still bumps the version (a service
    acting on a row it has just locked, not on what a user saw), so editors holding the old
    version get the conflict. Raises ``EditConflict`` when the row changed meanwhile."""
    names = list(fields)
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        values[field.attname] = getattr(obj, field.attname)  # type: ignore[union-attr]
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if expected_version is not None:
        rows = rows.filter(row_version=expected_version)
    if rows.update(**values, row_version=F("row_version") + 1) != 1:
        raise conflict(obj, names, what=what)
    if expected_version is not None:
        new = expected_version + 1
    else:
        new = type(obj)._default_manager.filter(pk=obj.pk).values_list("row_version", flat=True).get()
    obj.row_version = new  # type: ignore[attr-defined]
    return new


class VersionField(forms.IntegerField):
    """The hidden field that carries the row version a form was read at. Missing or not a
    number is a Danish error, never a silent overwrite."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("label", "Version")
        messages = {"required": MISSING_VERSION, "invalid": MISSING_VERSION, "min_value": MISSING_VERSION}
        super().__init__(error_messages=messages | kwargs.pop("error_messages", {}), **kwargs)


def _shown(field: forms.Field, value: Any) -> str:
    """A saved value as the form's field would name it (a choice's label, a Danish date)."""
    from django.utils.formats import localize

    if value in (None, ""):
        return "(tom)"
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(localize(value))


def _same(typed: Any, saved: Any) -> bool:
    if isinstance(typed, models.Model):
        typed = typed.pk
    if isinstance(typed, str) and isinstance(saved, str):
        return typed.strip() == saved.strip()
    return typed == saved


def saved_rows(form: forms.BaseForm, error: EditConflict) -> list[tuple[str, str]]:
    """(label, saved value) for each field of the form the conflict is about."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or field.widget.is_hidden:
            continue
        model_name = name
        if model_name not in error.current and f"{model_name}_id" in error.current:
            model_name = f"{model_name}_id"
        if model_name not in error.current:
            continue
        saved = error.current[model_name]
        if name in getattr(form, "cleaned_data", {}) and _same(form.cleaned_data[name], saved):
            continue  # only what differs from what the user typed
        rows.append((str(field.label or name), _shown(field, saved)))
    return rows


def refresh_version(form: forms.BaseForm, error: EditConflict) -> None:
    """After a conflict: the form's hidden version becomes the current one (so saving the
    merged text again succeeds), what the user typed stays, and the saved values ride along
    as ``form.conflict`` for the template."""
    form.conflict = error  # type: ignore[attr-defined]
    form.conflict_rows = saved_rows(form, error)  # type: ignore[attr-defined]
    if "version" in form.fields and form.is_bound:
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
        data[form.add_prefix("version")] = str(error.version)
        form.data = data
