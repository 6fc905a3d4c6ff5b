from samplan.cases.models import Case, FollowUp
from tests.factories import make_citizen, walk_case


def test_walk_full_case(org, users):
    cw = users["caseworker"]
    citizen = make_citizen(org, caseworker=cw)
    out = walk_case(cw, citizen, org, until="accepted")
    assert out["case"].__class__.objects.get(pk=out["case"].pk).status == Case.Status.GRANTED
    fu = FollowUp.objects.get(grant=out["grant"])
    assert fu.kind == FollowUp.Kind.FIRST
