"""The documents API (issue 12, point 7): multipart upload with the page's checks and
Idempotency-Key, metadata list and detail, the audited download — same policy as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samplan.core.models import AuditEvent, Role
from samplan.documents.models import Document
from tests.test_i12_docs import EXE, docx_bytes, logged_in, make_world, pdf_bytes, png_bytes, upload

LIST = "/api/v1/documents/"


@pytest.fixture
def world(org, users):
    return make_world(org, users)


def post(client, citizen, data: bytes, name: str = "a.pdf", **fields):
    body = {"citizen": citizen.pk, "kind": "medical_statement", "title": "Lægeerklæring", **fields}
    body["file"] = SimpleUploadedFile(name, data)
    headers = {"HTTP_IDEMPOTENCY_KEY": fields.pop("key")} if "key" in fields else {}
    body.pop("key", None)
    return client.post(LIST, body, **headers)  # multipart by default


def test_upload_list_detail_and_content(world):
    actors, objs = world
    citizen = objs["citizen"]
    client = logged_in(actors[Role.CASEWORKER])
    response = post(client, citizen, png_bytes(), "foto.png", case=objs["case"].pk, shared_with_citizen="true")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "image/png" and body["case"] == objs["case"].pk and body["shared_with_citizen"] is True
    assert body["original_name"] == "foto.png" and body["size"] == len(png_bytes()) and body["scan_status"] == "not_scanned"
    listing = client.get(LIST, {"citizen": citizen.pk}).json()
    assert [row["id"] for row in listing["results"]] == [body["id"]]
    assert client.get(f"{LIST}{body['id']}/").json()["sha256"] == body["sha256"]
    content = client.get(f"{LIST}{body['id']}/content/", HTTP_ACCEPT="image/png")
    assert content.status_code == 200 and b"".join(content.streaming_content) == png_bytes()
    assert content["Content-Type"] == "image/png" and content["X-Content-Type-Options"] == "nosniff"
    read = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_id=str(body["id"])).latest("pk")
    assert read.citizen_id_ref == citizen.pk and read.after == {"shown": "document_content"}


def test_upload_refuses_other_content_in_the_error_shape(world):
    actors, objs = world
    response = post(logged_in(actors[Role.CASEWORKER]), objs["citizen"], EXE, "erklaering.pdf")
    assert response.status_code == 400
    body = response.json()
    assert body["kode"] == "invalid" and body["fejlkoder"] == {"file": ["file_type"]}
    assert body["fejl"]["file"][0].startswith("Filen er ikke en tilladt filtype.")
    assert not Document.objects.exists()


def test_upload_over_the_limit_is_refused(world, settings):
    settings.SAMPLAN_UPLOAD_MAX_MB = 0.01
    actors, objs = world
    response = post(logged_in(actors[Role.CASEWORKER]), objs["citizen"], pdf_bytes() + b"0" * 20_000)
    assert response.status_code == 400 and response.json()["fejlkoder"] == {"file": ["too_large"]}
    settings.SAMPLAN_UPLOAD_MAX_MB = 0.001
    huge = post(logged_in(actors[Role.CASEWORKER]), objs["citizen"], pdf_bytes() + b"0" * 2_000_000)
    assert huge.status_code == 413 and huge.json()["kode"] == "request_too_large"  # not even read
    assert not Document.objects.exists()


def test_a_file_larger_than_the_json_bound_is_accepted(world, settings):
    settings.SAMPLAN_UPLOAD_MAX_MB = 20
    actors, objs = world
    big = pdf_bytes() + b"%" * (5 * 1024 * 1024)  # above DATA_UPLOAD_MAX_MEMORY_SIZE (4 MB)
    response = post(logged_in(actors[Role.CASEWORKER]), objs["citizen"], big)
    assert response.status_code == 201, response.content[:300]
    assert Document.objects.get().size == len(big)


def test_upload_is_idempotent_per_key_and_file(world):
    actors, objs = world
    client = logged_in(actors[Role.CASEWORKER])
    first = post(client, objs["citizen"], pdf_bytes(), key="doc-1")
    again = post(client, objs["citizen"], pdf_bytes(), key="doc-1")
    assert (first.status_code, again.status_code) == (201, 201) and again["Idempotent-Replayed"] == "true"
    assert Document.objects.count() == 1
    other_file = post(client, objs["citizen"], docx_bytes(), key="doc-1")
    assert other_file.status_code == 422 and Document.objects.count() == 1


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        (Role.CASEWORKER, 201),
        (Role.COORDINATOR, 201),
        (Role.PROVIDER_STAFF, 201),
        (Role.COMMITTEE, 403),  # knows the citizen, keeps no documents
        (Role.CITIZEN, 403),  # reads shared documents; uploading comes with Min side
        ("other_provider", 400),  # an unseen citizen is an invalid choice (its existence does not leak)
        ("other_municipality", 400),
        (Role.MANAGER, 400),
    ],
)
def test_who_may_upload(world, actor, status):
    actors, objs = world
    response = post(logged_in(actors[actor]), objs["citizen"], pdf_bytes())
    assert response.status_code == status, response.content[:300]
    assert Document.objects.count() == (1 if status == 201 else 0)


def test_provider_staff_may_not_name_a_case(world):
    actors, objs = world
    response = post(logged_in(actors[Role.PROVIDER_STAFF]), objs["citizen"], pdf_bytes(), case=objs["case"].pk)
    assert response.status_code == 400 and response.json()["fejlkoder"] == {"case": ["does_not_exist"]}


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        (Role.CASEWORKER, {"authority", "provider"}),
        (Role.COORDINATOR, {"authority", "provider"}),
        (Role.PROVIDER_STAFF, {"provider"}),
        (Role.CITIZEN, {"provider"}),  # the provider's document is shared with the citizen
        ("other_provider", set()),
        (Role.COMMITTEE, set()),
        (Role.MANAGER, set()),
        (Role.RELATIVE, set()),
    ],
)
def test_list_and_detail_per_role(world, actor, sees):
    actors, objs = world
    documents = {
        "authority": upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes()),
        "provider": upload(actors[Role.PROVIDER_STAFF], objs["citizen"], pdf_bytes(), shared_with_citizen=True),
    }
    client = logged_in(actors[actor])
    ids = {row["id"] for row in client.get(LIST).json()["results"]}
    assert ids == {documents[k].pk for k in sees}
    for key, document in documents.items():
        expected = 200 if key in sees else 404
        assert client.get(f"{LIST}{document.pk}/").status_code == expected, key
        assert client.get(f"{LIST}{document.pk}/content/").status_code == expected, key


def test_the_page_and_the_api_use_the_same_url_names():
    assert reverse("api:document-content", args=[1]) == "/api/v1/documents/1/content/"


def test_a_case_of_another_citizen_is_refused(world, org):
    from tests.factories import make_citizen, walk_case

    actors, objs = world
    cw = actors[Role.CASEWORKER]
    other_case = walk_case(cw, make_citizen(org, caseworker=cw), org, until="inquiry")["case"]
    response = post(logged_in(cw), objs["citizen"], pdf_bytes(), case=other_case.pk)
    assert response.status_code == 400 and response.json()["fejl"] == {"non_field_errors": ["Sagen hører ikke til borgeren."]}
    assert not Document.objects.exists()


def test_the_upload_rule_on_a_case(world):
    from samplan.core import policy

    actors, objs = world
    case = objs["case"]
    assert policy.decide(actors[Role.CASEWORKER], policy.UPLOAD_DOCUMENT, case).allowed
    assert policy.decide(actors[Role.COORDINATOR], policy.UPLOAD_DOCUMENT, case).allowed
    assert policy.decide(actors[Role.PROVIDER_STAFF], policy.UPLOAD_DOCUMENT, case).status == 404  # the case is unknown to them
    assert policy.decide(actors[Role.COMMITTEE], policy.UPLOAD_DOCUMENT, case).status == 403
    assert policy.decide(actors[Role.MANAGER], policy.UPLOAD_DOCUMENT, case).status == 404
