"""The Digital Post seam: one interface, ``send(letter) -> Receipt``, and the backends.

``SAMPLAN_LETTER_BACKEND`` picks the backend: ``"outbox"`` (default, the demo: the PDF and a
JSON metadata file in ``SAMPLAN_LETTER_OUTBOX``, default ``var/outbox/``), ``"email"``
(Django's mail, for tests and small set-ups), ``"sf1601"`` (KOMBIT's Digital Post, below)
or a dotted path to a class with the same ``send``. A backend raises ``DeliveryError`` (or
any exception) when the letter was not delivered; ``tasks.deliver_letter`` retries and records.

**SF1601 (Digital Post via Serviceplatformen).** ``SF1601Backend`` builds a MeMo message
(``build_memo``: MeMo 1.x XML with the sender's CVR, the recipient's CPR, a message UUID and
the PDF as the main document), wraps it in SF1601's ``PrintDistributeMessage`` request and
POSTs it over mutual TLS to the municipality's endpoint. The municipality enables it with
settings (environment variables of the same name):

* ``SAMPLAN_SF1601_ENDPOINT`` – the URL of the service (test or production platform);
* ``SAMPLAN_SF1601_CERT_FILE`` / ``SAMPLAN_SF1601_KEY_FILE`` – the FOCES/OCES system
  certificate and its key (files, never the PEM itself in settings);
* ``SAMPLAN_SF1601_CA_FILE`` – optional CA bundle of the platform;
* ``SAMPLAN_SF1601_SENDER_CVR`` – the municipality's CVR number, ``SAMPLAN_SF1601_SENDER_LABEL``;
* ``SAMPLAN_SF1601_SYSTEM_ID`` – the ``x-TransaktionsId``'s system prefix agreed with KOMBIT;
* ``SAMPLAN_SF1601_TIMEOUT`` – seconds (default 30).

The exact envelope (headers, the service agreement's UUIDs) follows the municipality's
agreement with KOMBIT; ``build_request`` is the one place to adjust it. No network call is
made until ``send``."""

from __future__ import annotations

import base64
import datetime as dt
import json
import ssl
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string


class DeliveryError(Exception):
    """The letter was not delivered (the message is for the log and the caseworker: no CPR)."""


@dataclass(frozen=True)
class Receipt:
    backend: str
    reference: str
    sent_at: str
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


class Backend(Protocol):
    name: str

    def send(self, letter) -> Receipt: ...


def filename(letter) -> str:
    return f"brev-{letter.pk}.pdf"


def _now() -> str:
    return timezone.now().isoformat()


class OutboxBackend:
    """Writes ``brev-<id>.pdf`` and ``brev-<id>.json`` to the outbox folder (the demo)."""

    name = "outbox"

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder or settings.SAMPLAN_LETTER_OUTBOX)

    def send(self, letter) -> Receipt:
        if not letter.pdf:
            raise DeliveryError("Brevet har ingen PDF.")
        self.folder.mkdir(parents=True, exist_ok=True)
        pdf_path = self.folder / filename(letter)
        pdf_path.write_bytes(bytes(letter.pdf))
        reference = str(uuid.uuid4())
        meta = {
            "reference": reference,
            "letter": letter.pk,
            "citizen": letter.citizen_id,  # the id, never the CPR number
            "kind": letter.kind,
            "subject": letter.subject,
            "file": pdf_path.name,
            "queued_at": _now(),
        }
        (self.folder / f"brev-{letter.pk}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        return Receipt(self.name, reference, _now(), {"file": pdf_path.name})


class EmailBackend:
    """Sends the PDF to the citizen's e-mail address with Django's mail (tests, small set-ups)."""

    name = "email"

    def send(self, letter) -> Receipt:
        to = letter.citizen.email
        if not to:
            raise DeliveryError("Borgeren har ingen e-mailadresse.")
        message = EmailMessage(
            letter.subject,
            "Du har fået et brev fra kommunen. Brevet er vedhæftet som PDF.\n\nVenlig hilsen\n" + str(letter.municipality),
            settings.DEFAULT_FROM_EMAIL,
            [to],
        )
        message.attach(filename(letter), bytes(letter.pdf or b""), "application/pdf")
        message.send()
        return Receipt(self.name, str(uuid.uuid4()), _now(), {})


MEMO_NS = "https://DigitalPost.dk/MeMo-1"
SF1601_NS = "kombit:PrintDistributeMessage"  # placeholder namespace of the wrapper; see build_request


def _setting(name: str, default=None):
    return getattr(settings, name, default)


class SF1601Backend:
    """KOMBIT's Digital Post (SF1601 "PrintDistributeMessage" with a MeMo message)."""

    name = "sf1601"

    def __init__(self) -> None:
        self.endpoint = _setting("SAMPLAN_SF1601_ENDPOINT", "")
        self.cert_file = _setting("SAMPLAN_SF1601_CERT_FILE", "")
        self.key_file = _setting("SAMPLAN_SF1601_KEY_FILE", "")
        self.ca_file = _setting("SAMPLAN_SF1601_CA_FILE", "")
        self.sender_cvr = _setting("SAMPLAN_SF1601_SENDER_CVR", "")
        self.sender_label = _setting("SAMPLAN_SF1601_SENDER_LABEL", "")
        self.system_id = _setting("SAMPLAN_SF1601_SYSTEM_ID", "samplan")
        self.timeout = float(_setting("SAMPLAN_SF1601_TIMEOUT", 30))

    def build_memo(self, letter, message_uuid: str) -> bytes:
        """The MeMo message: header (type, UUID, label, sender, recipient) and the PDF."""
        ET.register_namespace("memo", MEMO_NS)

        def el(parent, tag: str, text: str | None = None):
            node = ET.SubElement(parent, f"{{{MEMO_NS}}}{tag}")
            if text is not None:
                node.text = text
            return node

        root = ET.Element(f"{{{MEMO_NS}}}Message", {"memoVersion": "1.1", "memoSchVersion": "1.1.0"})
        header = el(root, "MessageHeader")
        el(header, "messageType", "DIGITALPOST")
        el(header, "messageUUID", message_uuid)
        el(header, "label", letter.subject[:150])
        el(header, "mandatory", "false")
        el(header, "legalNotification", "false")
        sender = el(header, "Sender")
        el(sender, "senderID", self.sender_cvr)
        el(sender, "idType", "CVR")
        el(sender, "label", self.sender_label or str(letter.municipality))
        recipient = el(header, "Recipient")
        el(recipient, "recipientID", letter.citizen.cpr)
        el(recipient, "idType", "CPR")
        el(recipient, "label", letter.citizen.full_name)
        body = el(root, "MessageBody")
        el(body, "createdDateTime", timezone.now().replace(microsecond=0).isoformat())
        main = el(body, "MainDocument")
        el(main, "mainDocumentID", str(letter.pk))
        el(main, "label", letter.subject[:150])
        file = el(main, "File")
        el(file, "encodingFormat", "application/pdf")
        el(file, "filename", filename(letter))
        el(file, "language", "da")
        el(file, "content", base64.b64encode(bytes(letter.pdf or b"")).decode("ascii"))
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def build_request(self, letter, message_uuid: str) -> tuple[bytes, dict[str, str]]:
        """The HTTP body and headers SF1601 receives (the MeMo inside the request)."""
        transaction_id = str(uuid.uuid4())
        headers = {
            "Content-Type": "application/xml; charset=utf-8",
            "x-TransaktionsId": transaction_id,
            "x-TransaktionsTid": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "x-SystemId": self.system_id,
        }
        memo = self.build_memo(letter, message_uuid)
        envelope = (
            b'<?xml version="1.0" encoding="utf-8"?>'
            b'<kombit_memo_v1 xmlns="' + SF1601_NS.encode() + b'">'
            b"<type>Digital Post</type><memo>" + base64.b64encode(memo) + b"</memo></kombit_memo_v1>"
        )
        return envelope, headers

    def _context(self) -> ssl.SSLContext:
        if not (self.endpoint and self.cert_file and self.key_file and self.sender_cvr):
            raise ImproperlyConfigured(
                "SF1601 needs SAMPLAN_SF1601_ENDPOINT, SAMPLAN_SF1601_CERT_FILE, SAMPLAN_SF1601_KEY_FILE "
                "and SAMPLAN_SF1601_SENDER_CVR."
            )
        context = ssl.create_default_context(cafile=self.ca_file or None)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def send(self, letter) -> Receipt:
        context = self._context()
        message_uuid = str(uuid.uuid4())
        body, headers = self.build_request(letter, message_uuid)
        request = urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")  # noqa: S310 (configured https URL)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=context) as response:  # noqa: S310
                status = response.status
        except OSError as e:  # URLError, HTTPError, timeouts
            raise DeliveryError(f"Digital Post svarede ikke som ventet ({type(e).__name__}).") from e
        if status not in (200, 201, 202):
            raise DeliveryError(f"Digital Post svarede {status}.")
        return Receipt(self.name, message_uuid, _now(), {"transaction": headers["x-TransaktionsId"], "status": status})


BACKENDS: dict[str, type] = {"outbox": OutboxBackend, "email": EmailBackend, "sf1601": SF1601Backend}


def get_backend() -> Backend:
    choice = getattr(settings, "SAMPLAN_LETTER_BACKEND", "outbox") or "outbox"
    cls = BACKENDS.get(choice) or import_string(choice)
    return cls()


def send(letter) -> Receipt:
    """Deliver the approved letter through the configured backend."""
    return get_backend().send(letter)
