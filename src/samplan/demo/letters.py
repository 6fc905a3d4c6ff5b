"""Demo letters (called from samplan.demo.generator.seed): the demo citizen's decision letter,
made, approved and delivered through letters.services like a real one, so Min side shows a
sent letter with its PDF. Delivered with the outbox backend at once (never a configured
Digital Post), so no worker is needed; the queued task later finds it sent and skips it."""

from samplan.cases.models import Grant
from samplan.letters import delivery, services
from samplan.letters.models import Kind, Letter


def _letter_case(citizen):
    """The case with a grant in force (a decision letter), else the newest case (a meeting notice)."""
    cases = list(citizen.cases.order_by("-pk"))
    for case in cases:
        grant = services.current_grant(case)
        if grant is not None and grant.status == Grant.Status.ACTIVE and Kind.GRANT in services.kinds_for(case):
            return case, Kind.GRANT
    return (cases[0], Kind.MEETING) if cases else (None, None)


def seed_demo_letters(citizen, *, caseworker) -> int:
    """Returns how many letters were sent; nothing if the citizen has a letter already."""
    if Letter.objects.filter(citizen=citizen).exists():
        return 0
    case, kind = _letter_case(citizen)
    if case is None:
        return 0
    letter = services.create_letter(caseworker, case, kind=kind)
    letter = services.approve_and_send(caseworker, letter, expected_version=letter.row_version)
    receipt = delivery.OutboxBackend().send(letter)
    services.record_delivery(letter.pk, backend=receipt.backend, receipt=receipt.as_dict())
    return 1
