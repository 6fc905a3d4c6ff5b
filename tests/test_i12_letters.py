"""Letters from templates (issue 12, point 3): merge fields, the decision letter after the
grant, the tagged PDF, immutability once sent, and no "bevilget" while the committee waits."""

import io
import re
import zlib

import pypdfium2
import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from samplan.cases import services as case_services
from samplan.cases.models import Grant
from samplan.core.errors import DomainError
from samplan.core.models import Role
from samplan.letters import merge, services
from samplan.letters.models import Kind, Letter, LetterTemplateVersion
from samplan.standards.models import CompetenceRule
from tests.factories import PASSWORD, grant_spec, make_citizen, walk_case


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to search."""
    out = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(bytes(data)))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.fixture
def citizen(org, users):
    c = make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])
    c.address, c.postcode, c.city = "Lyngbyvej 1", "2800", "Kongens Lyngby"
    c.save()
    cw = users[Role.CASEWORKER]
    cw.phone = "45 97 35 00"
    cw.save()
    return c


@pytest.fixture
def granted(org, users, citizen):
    """A case with an active grant and an order to the provider."""
    return walk_case(users[Role.CASEWORKER], citizen, org, until="order")


@pytest.fixture
def pending(org, users, citizen):
    """A case whose grant waits for the allocation committee."""
    CompetenceRule.objects.create(municipality=org["municipality"], legal_basis="§85", max_scope=27)
    objs = walk_case(users[Role.CASEWORKER], citizen, org, until="granted")
    objs["grant"] = case_services.create_grant(
        users[Role.CASEWORKER], objs["decision"], grant_spec(org, objs["condition"], amount="30")
    )
    assert objs["grant"].status == Grant.Status.PENDING
    return objs


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


# --- Templates and merge fields -------------------------------------------------------------


ALL_FILLED = {name: f"«{name}-værdi»" for name in merge.MERGE_FIELDS}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_renders_in_danish_with_every_field(kind):
    text = services.default_texts()[kind.value]
    subject = merge.render(text["subject"], ALL_FILLED)
    body = merge.render(text["body"], ALL_FILLED)
    assert "{{" not in body and "{%" not in body and subject
    assert body.startswith("Kære «borger_navn-værdi»")
    assert "Venlig hilsen" in body
    assert "«kommune-værdi»" in body
    if kind in (Kind.GRANT, Kind.PARTIAL_GRANT, Kind.REFUSAL):
        assert body.count("«klagevejledning-værdi»") == 1
        assert "Hvis du vil klage" in body


def test_grant_template_uses_scope_provider_period_and_summary():
    body = merge.render(services.default_texts()["grant"]["body"], ALL_FILLED)
    for name in ("paragraf", "omfang", "leverandoer", "periode", "kvalitetsstandard_resume", "begrundelse", "kontaktperson"):
        assert f"«{name}-værdi»" in body, name


@pytest.mark.parametrize(
    "text",
    ["{{ ukendt }}", "{% if ukendt %}x{% endif %}", "{% include 'base.html' %}", "{% load static %}", "{{ borger_navn.pk }}"],
)
def test_rendering_refuses_unknown_fields_and_tags(text):
    with pytest.raises(merge.MergeError):
        merge.render(text, ALL_FILLED)


def test_administrator_saves_a_new_version_and_old_letters_keep_theirs(org, users, granted):
    admin, cw = users[Role.ADMIN], users[Role.CASEWORKER]
    letter = services.create_letter(cw, granted["case"], kind=Kind.GRANT)
    v1 = letter.template_version
    v2 = services.save_template_version(
        admin, org["municipality"], Kind.GRANT, subject="Ny: {{ ydelse }}", body="Kære {{ borger_navn }}"
    )
    assert v2.version == v1.version + 1
    letter.refresh_from_db()
    assert letter.template_version_id == v1.pk
    with pytest.raises(PermissionError):
        v1.subject = "ændret"
        v1.save()
    with pytest.raises(DomainError, match="Ukendte flettefelter"):
        services.save_template_version(admin, org["municipality"], Kind.GRANT, subject="x", body="{{ cpr }}")


def test_template_page_saves_a_version_through_http(org, users):
    client = client_for(users[Role.ADMIN])
    assert client.get(reverse("letter-templates")).status_code == 200
    url = reverse("letter-template-edit", args=["refusal"])
    page = client.get(url)
    assert "Du får ikke den hjælp" in page.content.decode()
    bad = client.post(url, {"subject": "Afslag", "body": "{{ hemmelig }}"})
    assert bad.status_code == 400 and "Ukendte flettefelter: hemmelig." in bad.content.decode()
    assert client.post(url, {"subject": "Afslag", "body": "Kære {{ borger_navn }}"}).status_code == 302
    assert (
        LetterTemplateVersion.objects.filter(template__kind="refusal").order_by("-version").first().body
        == "Kære {{ borger_navn }}"
    )


# --- The decision letter after the grant ----------------------------------------------------


def test_decision_letter_states_scope_provider_period_once_with_appeal(users, granted):
    cw = users[Role.CASEWORKER]
    letter = services.create_letter(cw, granted["case"], kind=Kind.GRANT)
    grant = granted["grant"]
    assert letter.fields["omfang"] == "20 timer pr. måned"
    assert letter.fields["leverandoer"] == granted["order"].provider.name
    assert letter.fields["periode"].startswith("fra ")
    letter = services.approve_and_send(cw, letter, expected_version=letter.row_version)
    text = pdf_text(letter.pdf)
    assert "§ 85 – socialpædagogisk støtte" in text
    assert "20 timer pr. måned" in text
    assert granted["order"].provider.name in text
    assert letter.fields["periode"] in text
    # The appeal guidance (with its deadline) exactly once.
    guidance_start = granted["decision"].appeal_guidance.split(".")[0]
    assert text.count(guidance_start) == 1
    assert text.count("Hvis du vil klage") == 1
    assert grant.status == Grant.Status.ACTIVE


def test_pdf_is_tagged_pdf_ua_in_danish_with_a_title(users, granted):
    cw = users[Role.CASEWORKER]
    letter = services.create_letter(cw, granted["case"], kind=Kind.GRANT)
    letter = services.approve_and_send(cw, letter, expected_version=letter.row_version)
    raw = pdf_objects(bytes(letter.pdf))
    assert b"/StructTreeRoot" in raw  # tagged
    assert b"/Lang (da)" in raw or b"/Lang(da)" in raw
    assert b"pdfuaid" in raw  # the PDF/UA identification in the XMP metadata
    document = pypdfium2.PdfDocument(io.BytesIO(bytes(letter.pdf)))
    assert document.get_metadata_dict()["Title"] == letter.subject


# --- No "bevilget" while the committee has not approved -------------------------------------


def test_pending_grant_case_page_never_says_bevilget(users, pending):
    page = client_for(users[Role.CASEWORKER]).get(reverse("case-detail", args=[pending["case"].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "bevilget" not in html.lower()
    assert '<strong id="case-status">Afventer visitationsudvalget</strong>' in html


def test_pending_grant_old_decision_page_does_not_promise_help(users, pending):
    html = client_for(users[Role.CASEWORKER]).get(reverse("decision-letter", args=[pending["case"].pk])).content.decode()
    assert "Vi har besluttet at give dig hjælp" not in html
    assert "bevilget" not in html.lower()
    assert "visitationsudvalg" in html


def test_approved_grant_case_says_bevilget(users, granted):
    html = client_for(users[Role.CASEWORKER]).get(reverse("case-detail", args=[granted["case"].pk])).content.decode()
    assert '<strong id="case-status">Bevilget</strong>' in html


def test_grant_letter_refused_while_pending(users, pending):
    cw = users[Role.CASEWORKER]
    with pytest.raises(DomainError, match="afventer visitationsudvalget"):
        services.create_letter(cw, pending["case"], kind=Kind.GRANT)
    response = client_for(cw).post(reverse("letter-create", args=[pending["case"].pk]), {"kind": "grant"})
    assert response.status_code == 400
    assert "afventer visitationsudvalget" in response.content.decode()
    assert not Letter.objects.exists()


# --- Immutable once sent ---------------------------------------------------------------------


@pytest.fixture
def sent_letter(users, granted, tmp_path, settings):
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path)
    cw = users[Role.CASEWORKER]
    letter = services.create_letter(cw, granted["case"], kind=Kind.GRANT)
    letter = services.approve_and_send(cw, letter, expected_version=letter.row_version)
    services.record_delivery(letter.pk, backend="outbox", receipt={"reference": "r-1"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    return letter


def test_sent_letter_cannot_be_changed_through_the_orm(sent_letter):
    sent_letter.body = "Ændret"
    with pytest.raises(PermissionError):
        sent_letter.save()
    with pytest.raises(PermissionError):
        Letter.objects.filter(pk=sent_letter.pk).update(body="Ændret")
    with pytest.raises(PermissionError):
        sent_letter.delete()
    with pytest.raises(PermissionError):
        Letter.objects.filter(pk=sent_letter.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_sent_letter_cannot_be_changed_with_raw_sql(sent_letter):
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="Brevet er sendt"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE letters_letter SET body = 'x' WHERE id = %s", [sent_letter.pk])


def test_sent_letter_cannot_be_changed_through_pages(users, sent_letter):
    client = client_for(users[Role.CASEWORKER])
    assert client.get(reverse("letter-edit", args=[sent_letter.pk])).status_code == 409
    assert (
        client.post(reverse("letter-edit", args=[sent_letter.pk]), {"subject": "x", "body": "y", "version": "0"}).status_code
        == 409
    )
    assert client.post(reverse("letter-approve", args=[sent_letter.pk]), {"version": "0"}).status_code == 409
    sent_letter.refresh_from_db()
    assert sent_letter.body != "y" and sent_letter.status == Letter.Status.SENT


def test_draft_edit_keeps_row_version(users, granted):
    cw = users[Role.CASEWORKER]
    letter = services.create_letter(cw, granted["case"], kind=Kind.GRANT)
    client = client_for(cw)
    url = reverse("letter-edit", args=[letter.pk])
    ok = client.post(url, {"subject": "Du får støtte", "body": "Kære Anna\n\nTekst", "version": letter.row_version})
    assert ok.status_code == 302
    stale = client.post(url, {"subject": "Gammel", "body": "Gammel tekst", "version": letter.row_version})
    assert stale.status_code == 409
    letter.refresh_from_db()
    assert letter.subject == "Du får støtte"


def test_pages_flow_and_pdf_download_is_audited(users, granted, settings, tmp_path):
    from samplan.core.models import AuditEvent

    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path)
    cw = users[Role.CASEWORKER]
    client = client_for(cw)
    response = client.post(reverse("letter-create", args=[granted["case"].pk]), {"kind": "grant"})
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("letter-detail", args=[letter.pk])
    preview = client.get(reverse("letter-detail", args=[letter.pk])).content.decode()
    assert "20 timer pr. måned" in preview and "Godkend og send" in preview
    with_callbacks = client.post(reverse("letter-approve", args=[letter.pk]), {"version": letter.row_version})
    assert with_callbacks.status_code == 302
    letter.refresh_from_db()
    assert letter.status in (Letter.Status.QUEUED, Letter.Status.SENT) and letter.pdf
    before = AuditEvent.objects.filter(object_type="letters.Letter", action="read").count()
    pdf = client.get(reverse("letter-pdf", args=[letter.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        AuditEvent.objects.filter(object_type="letters.Letter", action="read", citizen_id_ref=letter.citizen_id).count()
        == before + 1
    )


def test_citizen_sees_only_a_sent_letter(users, granted, sent_letter):
    draft = services.create_letter(users[Role.CASEWORKER], granted["case"], kind=Kind.PARTIAL_GRANT)
    client = client_for(users[Role.CITIZEN])
    assert client.get(reverse("letter-pdf", args=[sent_letter.pk])).status_code == 200
    assert client.get(reverse("letter-detail", args=[draft.pk])).status_code == 403


def test_refusal_letter_needs_a_refusal(users, granted):
    with pytest.raises(DomainError, match="ikke et afslag"):
        services.create_letter(users[Role.CASEWORKER], granted["case"], kind=Kind.REFUSAL)


def test_case_page_lists_the_case_letters_for_the_caseworker(users, granted):
    letter = services.create_letter(users[Role.CASEWORKER], granted["case"], kind=Kind.CONSULTATION)
    html = client_for(users[Role.CASEWORKER]).get(reverse("case-detail", args=[granted["case"].pk])).content.decode()
    assert reverse("letter-detail", args=[letter.pk]) in html
    assert reverse("letter-create", args=[granted["case"].pk]) in html
    citizen_html = client_for(users[Role.CITIZEN]).get(reverse("case-detail", args=[granted["case"].pk])).content.decode()
    assert reverse("letter-detail", args=[letter.pk]) not in citizen_html


def test_pending_grant_citizen_overview_does_not_say_bevilget(users, pending):
    html = client_for(users[Role.CASEWORKER]).get(reverse("citizen-overview", args=[pending["case"].citizen_id])).content.decode()
    assert "<td>Afventer visitationsudvalget</td>" in html
    assert "<td>Bevilget</td>" not in html
