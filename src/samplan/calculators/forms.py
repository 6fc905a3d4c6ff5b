"""Forms of the calculators. They only shape input; the rules live in services."""

from django import forms
from django.utils import timezone

from samplan.cases.models import Grant
from samplan.core.forms import DKFDSFormMixin
from samplan.core.validators import hours_used_validators, validate_case_date

from .services import EXTRA_COSTS_BASIS, MAX_ITEMS

DATE = {"type": "date"}
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def _date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class LedgerDateForm(DKFDSFormMixin, forms.Form):
    dato = forms.DateField(label="Saldo pr. dato", required=False, widget=_date_widget())


class CompanionUsageForm(DKFDSFormMixin, forms.Form):
    used_on = forms.DateField(label="Dato for ledsagelsen", widget=_date_widget(), validators=[validate_case_date])
    hours = forms.DecimalField(
        label="Antal timer",
        max_digits=6,
        decimal_places=2,
        validators=hours_used_validators,
        localize=True,
        widget=forms.TextInput(attrs=DECIMAL),
        help_text="Fx 2 eller 1,5. Timerne trækkes fra de ældste opsparede timer først.",
    )
    note = forms.CharField(label="Notat", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtraCostItemForm(DKFDSFormMixin, forms.Form):
    """One probable extra cost. A row left empty is skipped; a half-filled row is an error."""

    label = forms.CharField(label="Merudgift", max_length=100, required=False)
    kr_month = forms.DecimalField(
        label="Kr. pr. måned",
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs=DECIMAL),
    )

    def __init__(self, *args, number: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if number:
            self.fields["label"].label = f"Merudgift {number}: hvad dækker den"
            self.fields["kr_month"].label = f"Merudgift {number}: kr. pr. måned"

    def clean(self):
        data = super().clean()
        label, amount = (data.get("label") or "").strip(), data.get("kr_month")
        if label and amount is None and "kr_month" not in self.errors:
            self.add_error("kr_month", "Angiv beløbet pr. måned.")
        if amount is not None and not label:
            self.add_error("label", "Skriv hvad udgiften dækker.")
        return data

    @property
    def item(self):
        data = getattr(self, "cleaned_data", {})
        label = (data.get("label") or "").strip()
        return (label, data["kr_month"]) if label and data.get("kr_month") is not None else None


class BaseItemFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["number"] = index + 1
        return kwargs

    def items(self) -> list:
        return [form.item for form in self.forms if form.item]


ExtraCostItemFormSet = forms.formset_factory(
    ExtraCostItemForm,
    formset=BaseItemFormSet,
    extra=MAX_ITEMS,
    max_num=MAX_ITEMS,
    validate_max=True,
    absolute_max=MAX_ITEMS,
)


class ExtraCostForm(DKFDSFormMixin, forms.Form):
    application_received = forms.DateField(
        label="Ansøgningen modtaget",
        widget=_date_widget(),
        validators=[validate_case_date],
        help_text="Ansøgning om nye merudgifter skal afgøres senest 4 uger efter.",
    )
    calculated_on = forms.DateField(label="Beregnet den", widget=_date_widget(), validators=[validate_case_date])
    on_demand = forms.BooleanField(
        label="Borgeren kræver tilskuddet fastsat på ny (kan tidligst ske 1 år efter seneste fastsættelse)",
        required=False,
    )
    grant = forms.ModelChoiceField(
        label="Bevilling efter § 100",
        queryset=Grant.objects.none(),
        required=False,
        empty_label="Ingen bevilling endnu",
    )

    def __init__(self, citizen, *args, **kwargs):
        kwargs.setdefault("initial", {"calculated_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = (
            Grant.objects.filter(
                case__citizen=citizen,
                legal_basis=EXTRA_COSTS_BASIS,
            )
            .exclude(status=Grant.Status.SUPERSEDED)
            .order_by("-start_date", "-id")
        )
