"""The provider's answer to an order reaches the caseworker's inbox: a proposed start date
and a refusal each make one notification that links to the case."""

import datetime as dt

import pytest

from samplan.cases import services
from samplan.core.models import Role
from samplan.inbox.models import Notification
from tests.factories import make_citizen, walk_case

pytestmark = pytest.mark.django_db


def _order(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    return cw, walk_case(cw, citizen, org, until="order")["order"]


def test_a_declined_order_notifies_the_caseworker(org, users):
    cw, order = _order(org, users)
    services.decline_order(users[Role.PROVIDER_STAFF], order, reason="Ingen ledige pladser", version=order.row_version)
    note = Notification.objects.get(recipient=cw, kind=Notification.Kind.ORDER_DECLINED)
    assert note.url == f"/sager/{order.grant.case_id}/"
    assert "Ingen ledige pladser" not in note.text  # the reason is read on the case page


def test_a_proposed_start_notifies_the_caseworker(org, users):
    cw, order = _order(org, users)
    start = order.grant.start_date + dt.timedelta(days=7)
    services.propose_order_start(users[Role.PROVIDER_STAFF], order, proposed_start=start, version=order.row_version)
    assert Notification.objects.filter(recipient=cw, kind=Notification.Kind.ORDER_PROPOSED).count() == 1
