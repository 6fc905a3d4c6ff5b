"""One set of Danish formats: Django's da locale plus samplan/formats/da/formats.py, used
alike by templates (``|date:"SHORT_DATE_FORMAT"``, ``|date``, ``|time``, ``floatformat``)
and Python (``date_format``, ``time_format``, ``samplan.core.l10n``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format, time_format

from samplan.cases import services
from samplan.cases.models import Decision, Inquiry
from samplan.core import l10n
from samplan.core.models import Role
from samplan.questionnaires.chart import line_chart
from tests.factories import PASSWORD, make_citizen, walk_case

D = dt.date
MOMENT = dt.datetime(2025, 12, 4, 9, 14, tzinfo=dt.UTC)  # 10.14 in Copenhagen (winter time)


def test_the_named_formats_are_danish():
    local = timezone.localtime(MOMENT)
    assert date_format(D(2025, 12, 4)) == "4. december 2025"
    assert date_format(D(2025, 12, 4), "SHORT_DATE_FORMAT") == "04.12.2025"
    assert date_format(D(2025, 12, 4), "YEAR_MONTH_FORMAT") == "december 2025"
    assert date_format(D(2025, 12, 4), "MONTH_DAY_FORMAT") == "4. december"
    # Times with a period, as in "kl. 10.14" (Django's da would write 10:14).
    assert date_format(local, "DATETIME_FORMAT") == "4. december 2025 kl. 10.14"
    assert date_format(local, "SHORT_DATETIME_FORMAT") == "04.12.2025 10.14"
    assert time_format(dt.time(9, 5)) == "09.05"
    assert number_format(Decimal("1053.50"), 2, force_grouping=True) == "1.053,50"


def test_templates_write_the_same_as_python():
    template = Template(
        "{% load calculators %}"
        '{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}|{{ m|time }}|'
        '{{ amount|floatformat:"-2g" }}|{{ hours|hours }}'
    )
    text = template.render(Context({"d": D(2025, 12, 4), "m": MOMENT, "amount": Decimal("1053.5"), "hours": Decimal("7.50")}))
    assert text == "04.12.2025|4. december 2025|04.12.2025 10.14|10.14|1.053,50|7,5"
    local = timezone.localtime(MOMENT)
    python = [
        date_format(D(2025, 12, 4), "SHORT_DATE_FORMAT"),
        date_format(D(2025, 12, 4)),
        date_format(local, "SHORT_DATETIME_FORMAT"),
        time_format(local),
        l10n.kr(Decimal("1053.5")),
        l10n.decimal(Decimal("7.50")),
    ]
    assert text == "|".join(python)


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("7.50"), "7,5"),  # no trailing zeros
        (Decimal("15.00"), "15"),
        (Decimal("0.25"), "0,25"),
        (Decimal("1053.25"), "1.053,25"),  # thousands point
        (Decimal("0.005"), "0,01"),  # half up
        (Decimal("-0.001"), "0"),  # never "-0"
        (Decimal("-45.00"), "-45"),
        (90, "90"),
        ("2.5", "2,5"),
    ],
)
def test_decimal_quantities(value, text):
    assert l10n.decimal(value) == text


def test_decimal_to_one_place():
    assert l10n.decimal(Decimal(8) * 52 / 12, max_places=1) == "34,7"
    assert l10n.decimal(Decimal("27.00"), max_places=1) == "27"


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("1053.00"), "1.053"),  # øre only when there are any
        (Decimal("1053.5"), "1.053,50"),
        (Decimal("1053.505"), "1.053,51"),  # half up
        (Decimal("2102"), "2.102"),
        (0, "0"),
        (Decimal("-1053.5"), "-1.053,50"),
    ],
)
def test_amounts_in_kroner(value, text):
    assert l10n.kr(value) == text


def test_the_chart_dates_an_answer_by_the_local_day():
    # 22.30 UTC on 31 March is 00.30 on 1 April in Copenhagen (summer time).
    svg = line_chart([("hope", "Håb", [(dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC), 7)])], y_min=1, y_max=10, title="Svar")
    assert "01.04.2026" in svg and "31.03.2026" not in svg


@pytest.fixture
def decided_case(org, users):
    """A case received 1 Dec 2025 at 10.14, first contact 2 Dec at 14.05, decided 4 Dec 2025."""
    cw = users[Role.CASEWORKER]
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="awaiting_decision")
    Inquiry.objects.filter(pk=out["inquiry"].pk).update(
        received_at=dt.datetime(2025, 12, 1, 9, 14, tzinfo=dt.UTC),
        first_contact_at=dt.datetime(2025, 12, 2, 13, 5, tzinfo=dt.UTC),
    )
    services.make_decision(
        cw,
        out["case"],
        outcome=Decision.Outcome.GRANTED,
        legal_basis="§85",
        justification="Behov for støtte",
        decided_at=D(2025, 12, 4),
    )
    return cw, out["case"]


def test_case_pages_show_the_danish_formats(client, decided_case):
    cw, case = decided_case
    assert client.login(username=cw.username, password=PASSWORD)
    body = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "<dd>01.12.2025 10.14</dd>" in body  # received, local time
    assert "<dd>02.12.2025 14.05</dd>" in body  # first contact
    assert "(04.12.2025)</dd>" in body  # the decision
    assert "<strong>Klagefrist: 01.01.2026</strong>" in body  # four weeks later
    assert "fra du har modtaget afgørelsen, senest 01.01.2026." in body  # the guidance text, written by Python
    letter = client.get(reverse("decision-letter", args=[case.pk])).content.decode()
    assert "<br>4. december 2025<br>" in letter
