"""The vocabulary grants and quality standards share: the paragraphs of the Social Services
Act (serviceloven) Samplan knows, and the units a grant's scope is counted in.

It lives in ``standards``, below the case spine, because a standard is defined in these
terms; ``cases.models`` uses the same objects (``LEGAL_BASES``, ``Grant.ScopeUnit``)."""

import re

from django.db import models

LEGAL_BASES = [
    ("§82a", "§ 82 a – forebyggende gruppeforløb"),
    ("§82b", "§ 82 b – individuelt tidsbegrænset forløb"),
    ("§82c", "§ 82 c – akuttilbud"),
    ("§82d", "§ 82 d – rådgivning og vejledning"),
    ("§84", "§ 84 – aflastning og afløsning"),
    ("§85", "§ 85 – socialpædagogisk støtte"),
    ("§96", "§ 96 – borgerstyret personlig assistance"),
    ("§97", "§ 97 – ledsagelse"),
    ("§99", "§ 99 – støtte- og kontaktperson"),
    ("§100", "§ 100 – merudgifter"),
    ("§102", "§ 102 – særlig behandling"),
    ("§103", "§ 103 – beskyttet beskæftigelse"),
    ("§104", "§ 104 – aktivitets- og samværstilbud"),
    ("§107", "§ 107 – midlertidigt botilbud"),
    ("§108", "§ 108 – længerevarende botilbud"),
]


_BASIS = re.compile(r"§?\s*(\d+)\s*([a-zæøå]?)", re.IGNORECASE)


def legal_order(basis: str) -> tuple[int, str, str]:
    """Sort key for a § in legal order: by the number, then the letter (§82a, §82b, §85,
    §97 … §103), not as text, where §103 would come before §82a."""
    match = _BASIS.match(basis or "")
    if match is None:
        return (10**6, "", basis or "")
    return (int(match.group(1)), match.group(2).lower(), basis)


class ScopeUnit(models.TextChoices):
    HOURS_WEEK = "hours_week", "timer pr. uge"
    HOURS_MONTH = "hours_month", "timer pr. måned"
    DAYS_WEEK = "days_week", "dage pr. uge"
    DAYS_YEAR = "days_year", "dage pr. år"
    HOURS_TOTAL = "hours_total", "timer i alt"
    KR_MONTH = "kr_month", "kr. pr. måned"
    PLACE = "place", "plads"
