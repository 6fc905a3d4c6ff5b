"""seed_demo gives the demo citizen ("borger") a sent letter and a shared document on Min side."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samplan.core.models import User
from samplan.documents.models import Document
from samplan.letters.models import Letter

pytestmark = pytest.mark.django_db


def test_demo_citizen_has_a_sent_letter_and_a_shared_document(settings, tmp_path):
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path)
    call_command("seed_demo", seed=1, stdout=io.StringIO())
    borger = User.objects.get(username="borger")
    letter = Letter.objects.get(citizen__user=borger)
    assert letter.status == Letter.Status.SENT and bytes(letter.pdf).startswith(b"%PDF-")
    assert (tmp_path / f"brev-{letter.pk}.pdf").exists()  # delivered through the outbox
    shared = Document.objects.filter(citizen__user=borger, shared_with_citizen=True).first()
    assert shared is not None

    client = Client()
    client.force_login(borger)
    assert letter.subject in client.get(reverse("my-letters")).content.decode()
    assert shared.title in client.get(reverse("my-documents")).content.decode()
    assert client.get(reverse("my-letter-pdf", args=[letter.pk]))["Content-Type"] == "application/pdf"
