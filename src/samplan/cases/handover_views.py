"""The hand-over page (/administration/overdragelse/): one form, one POST, one service call."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from samplan.core import policy
from samplan.core.forms import DKFDSFormMixin
from samplan.core.steps import form_step
from samplan.inbox.forms import UserChoice

from . import handover


class HandoverForm(DKFDSFormMixin, forms.Form):
    KINDS = [("permanent", "Overdrag alt permanent"), ("period", "Stedfortræder i en periode")]
    from_user = UserChoice(label="Fra sagsbehandler", queryset=None)
    to_user = UserChoice(label="Til sagsbehandler", queryset=None)
    kind = forms.ChoiceField(label="Hvordan", choices=KINDS, widget=forms.RadioSelect, initial="permanent")
    starts = forms.DateField(label="Fra dato", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label="Til dato", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        users = policy.handover_users(user).order_by("first_name", "last_name")
        self.fields["from_user"].queryset = users  # type: ignore[attr-defined]
        self.fields["to_user"].queryset = users  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == "period":
            for name in ("starts", "ends"):
                if not data.get(name):
                    self.add_error(name, "Angiv periodens datoer.")
        return data


def _run(user, data: dict):
    if data["kind"] == "period":
        return handover.stand_in(
            user, from_user=data["from_user"], to_user=data["to_user"], starts=data["starts"], ends=data["ends"]
        )
    return handover.hand_over(user, from_user=data["from_user"], to_user=data["to_user"])


def _success(result: handover.HandoverResult) -> str:
    if result.substitution is not None:
        return "Stedfortræderen er registreret."
    return f"Overdraget: {result.citizens} borgere, {result.cases} sager og {result.tasks} opgaver."


@login_required
def handover_page(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, policy.HANDOVER)
    return form_step(
        request,
        HandoverForm(request.POST or None, user=request.user),
        lambda data: _run(request.user, data),
        success=_success,
        then=("handover",),
        template="cases/handover.html",
        context={},
    )
