"""The Digital Post seam (issue 12, point 5): one send(letter) -> Receipt, backends chosen by
SAMPLAN_LETTER_BACKEND, delivery as a background task with recorded retries, and a failed
letter on the caseworker's worklist."""

import base64
import json
from xml.etree import ElementTree as ET

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samplan.core.models import Role
from samplan.letters import delivery, services
from samplan.letters.models import DeliveryAttempt, Kind, Letter
from tests.factories import PASSWORD, make_citizen, walk_case


class FailingBackend:
    """A backend whose service is down."""

    name = "failing"
    calls = 0

    def send(self, letter):
        type(self).calls += 1
        raise delivery.DeliveryError("Tjenesten svarer ikke.")


@pytest.fixture
def approved(org, users, django_capture_on_commit_callbacks):
    """Approve a grant letter; returns a function that runs the queued sending."""
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN])
    objs = walk_case(cw, citizen, org, until="order")
    letter = services.create_letter(cw, objs["case"], kind=Kind.GRANT)

    def approve_and_run() -> Letter:
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_and_send(cw, letter, expected_version=letter.row_version)
        letter.refresh_from_db()
        return letter

    return approve_and_run


def test_outbox_backend_writes_pdf_and_metadata(approved, settings, tmp_path):
    settings.SAMPLAN_LETTER_BACKEND = "outbox"
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path / "outbox")
    letter = approved()
    assert letter.status == Letter.Status.SENT
    pdf = tmp_path / "outbox" / f"brev-{letter.pk}.pdf"
    meta = json.loads((tmp_path / "outbox" / f"brev-{letter.pk}.json").read_text(encoding="utf-8"))
    assert pdf.read_bytes() == bytes(letter.pdf) and pdf.read_bytes().startswith(b"%PDF")
    assert meta["letter"] == letter.pk and meta["subject"] == letter.subject and meta["file"] == pdf.name
    assert letter.citizen.cpr not in json.dumps(meta)  # metadata never carries the CPR number
    assert letter.receipt["reference"] == meta["reference"] and letter.receipt["backend"] == "outbox"
    assert list(DeliveryAttempt.objects.filter(letter=letter).values_list("number", "succeeded")) == [(1, True)]


def test_email_backend_sends_the_pdf(approved, settings):
    settings.SAMPLAN_LETTER_BACKEND = "email"
    letter = approved()
    assert letter.status == Letter.Status.SENT
    (message,) = mail.outbox
    assert message.to == [letter.citizen.email] and message.subject == letter.subject
    (name, content, mimetype) = message.attachments[0]
    assert name == f"brev-{letter.pk}.pdf" and mimetype == "application/pdf" and content == bytes(letter.pdf)


def test_failing_backend_retries_then_records_the_failure_on_the_worklist(approved, settings, users):
    settings.SAMPLAN_LETTER_BACKEND = "tests.test_i12_letters_delivery.FailingBackend"
    settings.SAMPLAN_LETTER_ATTEMPTS = 3
    FailingBackend.calls = 0
    letter = approved()
    assert FailingBackend.calls == 3
    assert letter.status == Letter.Status.FAILED and letter.attempts == 3
    assert letter.failure == "Tjenesten svarer ikke."
    assert list(DeliveryAttempt.objects.filter(letter=letter).values_list("number", "succeeded")) == [
        (1, False),
        (2, False),
        (3, False),
    ]
    client = Client()
    assert client.login(username=users[Role.CASEWORKER].username, password=PASSWORD)
    html = client.get(reverse("worklist")).content.decode()
    assert 'id="failed-letters"' in html and "Breve, der ikke kunne sendes (1)" in html
    assert reverse("letter-detail", args=[letter.pk]) in html


def test_worklist_shows_no_failure_when_letters_were_sent(approved, settings, tmp_path, users):
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path)
    approved()
    client = Client()
    assert client.login(username=users[Role.CASEWORKER].username, password=PASSWORD)
    assert 'id="failed-letters"' not in client.get(reverse("worklist")).content.decode()


def test_failed_letter_can_be_sent_again(approved, settings, tmp_path, users, django_capture_on_commit_callbacks):
    settings.SAMPLAN_LETTER_BACKEND = "tests.test_i12_letters_delivery.FailingBackend"
    letter = approved()
    assert letter.status == Letter.Status.FAILED
    settings.SAMPLAN_LETTER_BACKEND = "outbox"
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path)
    client = Client()
    assert client.login(username=users[Role.CASEWORKER].username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("letter-retry", args=[letter.pk])).status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert DeliveryAttempt.objects.filter(letter=letter).count() == 4


def test_sf1601_builds_the_memo_message_without_network(approved, settings):
    settings.SAMPLAN_LETTER_BACKEND = "email"  # deliver somewhere; the SF1601 message is only built
    letter = approved()
    settings.SAMPLAN_SF1601_SENDER_CVR = "29189781"
    settings.SAMPLAN_SF1601_SENDER_LABEL = "Lyngby-Taarbæk Kommune"
    backend = delivery.SF1601Backend()
    body, headers = backend.build_request(letter, "6f1c8f5e-0000-4000-8000-000000000001")
    assert headers["Content-Type"].startswith("application/xml") and headers["x-TransaktionsId"]
    memo_b64 = body.split(b"<memo>")[1].split(b"</memo>")[0]
    root = ET.fromstring(base64.b64decode(memo_b64))  # noqa: S314 (our own message, built just above)
    ns = {"m": delivery.MEMO_NS}
    assert root.find("m:MessageHeader/m:messageType", ns).text == "DIGITALPOST"
    assert root.find("m:MessageHeader/m:messageUUID", ns).text == "6f1c8f5e-0000-4000-8000-000000000001"
    assert root.find("m:MessageHeader/m:Sender/m:senderID", ns).text == "29189781"
    assert root.find("m:MessageHeader/m:Recipient/m:recipientID", ns).text == letter.citizen.cpr
    assert root.find("m:MessageHeader/m:Recipient/m:idType", ns).text == "CPR"
    assert root.find("m:MessageBody/m:MainDocument/m:File/m:encodingFormat", ns).text == "application/pdf"
    assert root.find("m:MessageBody/m:MainDocument/m:File/m:language", ns).text == "da"
    content = root.find("m:MessageBody/m:MainDocument/m:File/m:content", ns).text
    assert base64.b64decode(content) == bytes(letter.pdf)


def test_sf1601_refuses_to_send_unconfigured(approved, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SAMPLAN_LETTER_BACKEND = "email"
    letter = approved()
    with pytest.raises(ImproperlyConfigured):
        delivery.SF1601Backend().send(letter)


def test_backend_choice(settings):
    settings.SAMPLAN_LETTER_BACKEND = "outbox"
    assert isinstance(delivery.get_backend(), delivery.OutboxBackend)
    settings.SAMPLAN_LETTER_BACKEND = "sf1601"
    assert isinstance(delivery.get_backend(), delivery.SF1601Backend)
    settings.SAMPLAN_LETTER_BACKEND = "email"
    assert isinstance(delivery.get_backend(), delivery.EmailBackend)
