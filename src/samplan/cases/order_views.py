"""The provider's answer to an order (issue 13, point 3): propose another start date or
decline with a reason. Accepting stays in views.order_accept; the order page shows all three."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from samplan.core import policy
from samplan.core.steps import FAILED, apply, status_of

from . import services
from .forms import OrderDeclineForm, OrderProposeForm
from .models import Order

DETAIL_RELATED = ("citizen", "provider", "grant__case")
DETAIL_PREFETCH = ("grant__services", "grant__goals__goal_type", "grant__goals__condition__theme")


def order_queryset():
    return Order.objects.select_related(*DETAIL_RELATED).prefetch_related(*DETAIL_PREFETCH)


def detail_context(user, order: Order, **forms) -> dict:
    """The order page: the order, the grant's period, the citizen's contact data, the goals,
    and the provider's answer forms when it is theirs to answer."""
    can_answer = policy.can(user, policy.ACCEPT_ORDER, order)
    initial = {"version": order.row_version}
    return {
        "order": order,
        "can_accept": can_answer,
        "can_answer": can_answer and order.status == Order.Status.SENT,
        "propose_form": forms.get("propose_form") or OrderProposeForm(initial=initial),
        "decline_form": forms.get("decline_form") or OrderDeclineForm(initial=initial),
    }


def _answer(request: HttpRequest, pk: int, form_class, name: str, run, success: str, then: str = "") -> HttpResponse:
    order = policy.get_object(request.user, order_queryset(), pk, policy.ACCEPT_ORDER)
    form = form_class(request.POST)
    if apply(form, lambda data: run(order, data)) is FAILED:
        context = detail_context(request.user, order, **{name: form})
        return render(request, "cases/order_detail.html", context, status=status_of(form))
    messages.success(request, success)
    return redirect(then) if then else redirect("order-detail", pk=order.pk)


@login_required
@require_POST
def order_propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        OrderProposeForm,
        "propose_form",
        lambda order, d: services.propose_order_start(
            request.user, order, proposed_start=d["proposed_start"], reason=d["reason"], version=d["version"]
        ),
        "Forslaget om en anden startdato er sendt til sagsbehandleren.",
    )


@login_required
@require_POST
def order_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        OrderDeclineForm,
        "decline_form",
        lambda order, d: services.decline_order(request.user, order, reason=d["reason"], version=d["version"]),
        "Bestillingen er afvist. Sagsbehandleren kan se begrundelsen.",
        # A declined order is no longer the provider's: it gives no access to the citizen.
        then="provider-orders",
    )
