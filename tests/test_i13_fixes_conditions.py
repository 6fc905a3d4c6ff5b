"""Issue 13 point 7: an open assessment's conditions are corrected (changed or removed,
POST only, audited, guarded by the assessment's row version) and never silently
overwritten; HTMX saves show only the latest message."""

import pytest
from django.urls import reverse

from samplan.cases import services
from samplan.cases.models import Condition
from samplan.core.errors import DomainError
from samplan.core.locking import EditConflict
from samplan.core.models import AuditEvent, Role
from samplan.terminology import ffb
from tests.factories import PASSWORD, ad_theme, make_citizen, make_user, other_theme, walk_case

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def open_assessment(org, cw):
    return walk_case(cw, make_citizen(org, caseworker=cw), org, until="assessment")


@pytest.fixture
def client_cw(client, cw):
    assert client.login(username=cw.username, password=PASSWORD)
    return client


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_re_adding_a_theme_is_refused_and_keeps_level_and_description(cw, open_assessment):
    condition = open_assessment["condition"]
    services.change_condition(cw, condition, functioning_level=3, description="Handler ikke ind")
    with pytest.raises(DomainError) as refused:
        services.set_condition(cw, _fresh(open_assessment["assessment"]), theme=ad_theme(), functioning_level=1)
    assert "er allerede registreret. Ret eller fjern den registrerede tilstand i stedet." in refused.value.messages[0]
    kept = _fresh(condition)
    assert (kept.functioning_level, kept.description) == (3, "Handler ikke ind")


def test_change_and_remove_are_audited_with_before_and_after(cw, open_assessment):
    condition = open_assessment["condition"]
    assessment = _fresh(open_assessment["assessment"])
    services.change_condition(cw, condition, functioning_level=1, description="Bedre", expected_version=assessment.row_version)
    event = AuditEvent.objects.filter(object_type="cases.Condition", object_id=str(condition.pk)).latest("id")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.before["functioning_level"] == 3 and event.after["functioning_level"] == 1
    assert event.after["description"] == "Bedre"
    other = Condition.objects.get(assessment=assessment, theme=other_theme())
    other_pk, theme_pk = other.pk, other.theme_id
    services.remove_condition(cw, other, expected_version=assessment.row_version + 1)
    assert not Condition.objects.filter(pk=other_pk).exists()
    removed = AuditEvent.objects.filter(object_type="cases.Condition", object_id=str(other_pk)).latest("id")
    assert removed.after == {"removed": True} and removed.before["theme_id"] == theme_pk
    assert removed.citizen_id_ref == assessment.case.citizen_id


def test_a_stale_version_is_a_conflict(cw, open_assessment):
    condition = open_assessment["condition"]
    stale = _fresh(open_assessment["assessment"]).row_version - 1
    with pytest.raises(EditConflict):
        services.change_condition(cw, condition, functioning_level=0, expected_version=stale)
    with pytest.raises(EditConflict):
        services.remove_condition(cw, condition, expected_version=stale)
    assert _fresh(condition).functioning_level == 3


def test_completed_assessment_refuses_change_and_remove(org, cw):
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="awaiting_decision")
    message = "En afsluttet udredning kan ikke ændres; lav en ny udredning."
    for attempt in (
        lambda: services.change_condition(cw, out["condition"], functioning_level=0),
        lambda: services.remove_condition(cw, out["condition"]),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.messages == [message]
    assert _fresh(out["condition"]).functioning_level == 3


def test_level_rules_hold_for_a_change(cw, open_assessment):
    with pytest.raises(DomainError) as refused:
        services.change_condition(cw, open_assessment["condition"], functioning_level=None)
    assert refused.value.code == "level_required"


def test_pages_change_and_remove_with_htmx_show_only_the_latest_message(client_cw, open_assessment):
    assessment = _fresh(open_assessment["assessment"])
    condition = open_assessment["condition"]
    other = Condition.objects.get(assessment=assessment, theme=other_theme())
    other_pk = other.pk
    change = reverse("condition-change", args=[assessment.pk, condition.pk])
    assert client_cw.get(change).status_code == 405  # POST only
    prefix = f"c{condition.pk}"
    response = client_cw.post(
        change,
        {f"{prefix}-functioning_level": "2", f"{prefix}-description": "Lidt bedre", f"{prefix}-version": assessment.row_version},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("er rettet.") == 1 and 'id="messages" hx-swap-oob="true"' in body
    assert (_fresh(condition).functioning_level, _fresh(condition).description) == (2, "Lidt bedre")
    response = client_cw.post(
        reverse("condition-remove", args=[assessment.pk, other.pk]), {"version": assessment.row_version + 1}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "er fjernet." in body and "er rettet." not in body
    assert not Condition.objects.filter(pk=other_pk).exists()
    # Nothing waits in the session: the next full page shows no old banner.
    page = client_cw.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "er fjernet." not in page and "er rettet." not in page


def test_seven_htmx_adds_leave_one_banner(client_cw, cw, org):
    out = walk_case(cw, make_citizen(org, caseworker=cw), org, until="contacted")
    assessment = services.start_assessment(cw, out["case"])
    themes = list(ffb.branch(ffb.CONDITIONS, leaves_only=True).exclude(ffb.within(ffb.ACTIVITY_PARTICIPATION))[:7])
    url = reverse("assessment-condition", args=[assessment.pk])
    for theme in themes:
        version = _fresh(assessment).row_version
        response = client_cw.post(url, {"theme": theme.pk, "version": version}, **HTMX)
        assert response.status_code == 200
        assert response.content.decode().count("Tilstanden er gemt.") == 1
    page = client_cw.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert page.count("Tilstanden er gemt.") == 0  # before the fix: 7 banners here


def test_page_refuses_re_adding_with_the_danish_message(client_cw, open_assessment):
    assessment = _fresh(open_assessment["assessment"])
    response = client_cw.post(
        reverse("assessment-condition", args=[assessment.pk]),
        {"theme": ad_theme().pk, "functioning_level": "1", "version": assessment.row_version},
    )
    assert response.status_code == 400
    assert "Ret eller fjern den registrerede tilstand i stedet." in response.content.decode()


def test_other_unit_caseworker_gets_404_on_change(client, org, open_assessment):
    stranger = make_user(Role.CASEWORKER, org, unit=org["other_team"], username="fremmed")
    assert client.login(username=stranger.username, password=PASSWORD)
    assessment = open_assessment["assessment"]
    url = reverse("condition-remove", args=[assessment.pk, open_assessment["condition"].pk])
    assert client.post(url, {"version": 1}).status_code == 404
    assert Condition.objects.filter(pk=open_assessment["condition"].pk).exists()
