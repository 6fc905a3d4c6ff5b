"""Serializer fields restricted by the access policy."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samplan.core import policy


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key looked up only among objects of citizens the user may see."""

    def __init__(self, *, citizen_field: str | None = "citizen", **kwargs):
        self.citizen_field = citizen_field
        super().__init__(**kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        if self.citizen_field is None:  # the queryset is of citizens
            return policy.citizens_for(user)
        return policy.visible(user, self.queryset.all(), self.citizen_field)


# --- Fields whose output matches what the schema promises (schemathesis checks it) --------

LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "10:00:00"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Denmark (TT:MM:SS) without a zone. OpenAPI's ``format: time``
    is RFC 3339's, which requires a zone, so the schema gives the pattern instead."""


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice stored as "" when not made yet: answered as null, so every value that is
    not null is in the documented enum."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class OptionalURLField(serializers.URLField):
    """A URL that may be missing: answered as null rather than "" (not a URI)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)
