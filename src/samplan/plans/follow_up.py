"""What the spine's follow-up form shows of the provider's work: the latest status note on
the follow-up's case (any grant version, any provider). Registered with
``cases.measures.register_status_source`` in ``PlansConfig.ready``, since the spine sits
below plans and does not import it."""

from samplan.cases.measures import ProviderStatus
from samplan.cases.models import FollowUp

from .models import StatusNote


def latest_status_note(follow_up: FollowUp) -> ProviderStatus | None:
    note = (
        StatusNote.objects.filter(order__grant__case_id=follow_up.grant.case_id)
        .select_related("order__provider")
        .order_by("-at", "-id")
        .first()
    )
    if note is None:
        return None
    return ProviderStatus(
        text=note.text, at=note.at, provider=note.order.provider.name, written_with_citizen=note.written_with_citizen
    )
