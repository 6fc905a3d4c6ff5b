"""The one base of every refused domain operation.

A service refuses an invalid transition or invalid domain data by raising a
``DomainError`` (or an app's subclass: ``cases.services.DomainError``,
``plans.services.PlanError``, ``meetings.services.MeetingError``,
``consent.services.ConsentError``) whose message is Danish and shown to the user as it is.
It is a Django ``ValidationError``, so forms show it (``add_domain_error``) and the API
turns it into a 400 (``core.rest.errors``) without knowing the app. It lives in ``core`` so
that every layer may raise it without importing the app above it."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refused domain operation; the message is Danish and user-facing."""


class ConflictError(DomainError):
    """A create refused because what it would make already exists (a rule the database also
    enforces with a constraint, so a race ends here too); the API answers 409."""
