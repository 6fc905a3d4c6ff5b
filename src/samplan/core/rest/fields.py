"""Serializer fields restricted by the access policy."""

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
