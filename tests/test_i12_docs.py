"""Documents (issue 12, point 2): the type is read from the content, the size is bounded,
the file is stored outside every public URL, and it is served only through the policy with
an audit row naming the citizen. The clamd seam is tested against a fake clamd."""

import io
import socket
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samplan.core import policy
from samplan.core.models import AuditEvent, Role
from samplan.documents import scanning, services, sniffing
from samplan.documents.models import Document
from tests.factories import PASSWORD, make_citizen, make_org, make_user, walk_case

# --- Real, minimal files of each kind ----------------------------------------------------------


def pdf_bytes() -> bytes:
    """A valid one-page PDF (objects, xref table and trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (n, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))

    header = struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{main}"/></Types>'
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def ooxml_bytes(main: str = WORD_MAIN, part: str = "word/document.xml", extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(part=part, main=main))
        archive.writestr(part, "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    return ooxml_bytes()


def ole2_bytes(stream_name: str) -> bytes:
    """The OLE2 signature and a directory entry naming the program's stream (UTF-16LE)."""
    return sniffing.OLE2_SIGNATURE + b"\x00" * 504 + stream_name.encode("utf-16-le") + b"\x00" * 64


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


# --- Sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes(), sniffing.PDF),
        (png_bytes(), sniffing.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, sniffing.JPEG),
        (b"GIF89a\x01\x00\x01\x00" + b"\x00" * 10, sniffing.GIF),
        (docx_bytes(), sniffing.DOCX),
        (
            ooxml_bytes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
            sniffing.XLSX,
        ),
        (
            ooxml_bytes(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/presentation.xml"
            ),
            sniffing.PPTX,
        ),
        (ole2_bytes("WordDocument"), sniffing.DOC),
        (ole2_bytes("Workbook"), sniffing.XLS),
        (ole2_bytes("PowerPoint Document"), sniffing.PPT),
    ],
)
def test_allowed_types_are_recognised_by_their_content(data, expected):
    assert sniffing.sniff_bytes(data) is expected


@pytest.mark.parametrize(
    "data",
    [
        EXE,
        HTML,
        b"#!/bin/sh\nrm -rf /\n",
        b"",
        b"%PD",  # a truncated signature
        ooxml_bytes(part="word/document.xml", main="application/xml"),  # a ZIP, but no Word main part
        ooxml_bytes(main=WORD_MAIN, part="other/document.xml"),  # names Word but has no word/ folder
        ooxml_bytes(extra={"word/vbaProject.bin": b"macro"}),  # macro-enabled
        b"PK\x03\x04not really a zip",
        sniffing.OLE2_SIGNATURE + b"\x00" * 600,  # an OLE2 file of no Office program (e.g. an installer)
    ],
)
def test_other_content_is_refused(data):
    assert sniffing.sniff_bytes(data) is None


def test_sniffing_leaves_the_stream_at_the_start():
    stream = io.BytesIO(docx_bytes())
    stream.read(10)
    sniffing.sniff(stream)
    assert stream.tell() == 0


# --- The world: a citizen with a case, and who is who ------------------------------------------


@pytest.fixture
def world(org, users):
    return make_world(org, users)


def make_world(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR])
    objs = walk_case(cw, citizen, org, until="order")  # an active order to the world's provider
    actors = dict(users)
    actors["other_provider"] = make_user(Role.PROVIDER_STAFF, org, unit=org["other_provider"])
    actors["other_caseworker"] = make_user(Role.CASEWORKER, org, unit=org["other_team"])
    elsewhere = make_org(code="0101", name="Københavns Kommune")
    actors["other_municipality"] = make_user(Role.CASEWORKER, elsewhere)
    return actors, objs | {"citizen": citizen}


def upload(user, citizen, data: bytes, name: str = "erklaering.pdf", **kw) -> Document:
    return services.upload_document(
        user,
        citizen,
        file=SimpleUploadedFile(name, data),
        kind=kw.pop("kind", Document.Kind.MEDICAL_STATEMENT),
        title=kw.pop("title", "Lægeerklæring"),
        **kw,
    )


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post_upload(client, citizen, data: bytes, name: str, **fields):
    body = {"kind": "medical_statement", "title": "Lægeerklæring fra egen læge", **fields}
    body["file"] = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(reverse("document-upload", args=[citizen.pk]), body)


# --- Upload through the page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (pdf_bytes(), "erklæring.pdf", "application/pdf"),
        (png_bytes(), "scanning.png", "image/png"),
        (docx_bytes(), "udtalelse.docx", sniffing.DOCX.content_type),
    ],
)
def test_caseworker_uploads_a_real_file(world, data, name, content_type):
    actors, objs = world
    citizen = objs["citizen"]
    client = logged_in(actors[Role.CASEWORKER])
    response = post_upload(client, citizen, data, name, case=objs["case"].pk, shared_with_citizen="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("citizen-documents", args=[citizen.pk])
    document = Document.objects.get()
    assert (document.citizen, document.case, document.original_name) == (citizen, objs["case"], name)
    assert (document.content_type, document.size, document.shared_with_citizen) == (content_type, len(data), True)
    assert document.uploaded_by_role == Role.CASEWORKER and document.scan_status == Document.ScanStatus.NOT_SCANNED
    assert services.storage().open(document.storage_name).read() == data
    assert name not in document.storage_name  # a random name, never the user's
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="documents.Document").count() == 1


@pytest.mark.parametrize("data", [EXE, HTML], ids=["exe", "html"])
def test_a_pdf_name_with_other_content_is_refused_and_the_form_kept(world, data):
    actors, objs = world
    client = logged_in(actors[Role.CASEWORKER])
    response = post_upload(client, objs["citizen"], data, "erklaering.pdf", title="Min titel")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filen er ikke en tilladt filtype" in html and "Vælg filen igen." in html
    assert 'value="Min titel"' in html and '<option value="medical_statement" selected>' in html
    assert not Document.objects.exists()


def test_an_over_limit_file_is_refused_while_it_arrives_and_the_form_kept(world, settings):
    settings.SAMPLAN_UPLOAD_MAX_MB = 0.01  # 10 KB
    actors, objs = world
    client = logged_in(actors[Role.CASEWORKER])
    big = pdf_bytes() + b"0" * 20_000
    response = post_upload(client, objs["citizen"], big, "stor.pdf", title="Stor erklæring", case=objs["case"].pk)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filen er for stor. Den må højst fylde 0,01 MB. Vælg filen igen." in html
    assert "Vælg en fil." not in html  # the real reason, not "no file"
    assert 'value="Stor erklæring"' in html and f'<option value="{objs["case"].pk}" selected>' in html
    assert not Document.objects.exists()
    assert not list(Path(settings.STORAGES["documents"]["OPTIONS"]["location"]).rglob("*.pdf"))


def test_the_size_check_is_also_the_services(world, settings):
    settings.SAMPLAN_UPLOAD_MAX_MB = 0.01
    actors, objs = world
    with pytest.raises(services.DocumentError) as refused:
        upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes() + b"0" * 20_000)
    assert refused.value.message_dict["file"][0].startswith("Filen er for stor.")


def test_the_upload_form_is_reachable_from_the_overview_and_the_case(world):
    actors, objs = world
    client = logged_in(actors[Role.CASEWORKER])
    citizen, case = objs["citizen"], objs["case"]
    assert (
        reverse("document-upload", args=[citizen.pk])
        in client.get(reverse("citizen-overview", args=[citizen.pk])).content.decode()
    )
    case_page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f"{reverse('document-upload', args=[citizen.pk])}?sag={case.pk}" in case_page
    form = client.get(reverse("document-upload", args=[citizen.pk]), {"sag": case.pk}).content.decode()
    assert f'<option value="{case.pk}" selected>' in form and 'enctype="multipart/form-data"' in form


def test_provider_staff_upload_to_the_citizen_without_seeing_the_cases(world):
    actors, objs = world
    client = logged_in(actors[Role.PROVIDER_STAFF])
    form = client.get(reverse("document-upload", args=[objs["citizen"].pk])).content.decode()
    assert 'name="case"' not in form
    # A case named anyway is not among the choices: ignored (the field is not there).
    response = post_upload(client, objs["citizen"], pdf_bytes(), "statusnotat.pdf", case=objs["case"].pk)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.case is None and document.uploaded_by_unit == actors[Role.PROVIDER_STAFF].unit


# --- Download ---------------------------------------------------------------------------------


def test_download_for_the_caseworker_is_audited_with_the_citizen(world):
    actors, objs = world
    citizen = objs["citizen"]
    document = upload(actors[Role.PROVIDER_STAFF], citizen, pdf_bytes(), name="../../etc/passwd.pdf", title='Notat "x"/y')
    client = logged_in(actors[Role.CASEWORKER])
    before = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_type="documents.Document").count()
    response = client.get(reverse("document-download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="Notat _x__y.pdf"'
    assert response["Cache-Control"] == "no-store"
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_type="documents.Document")
    assert reads.count() == before + 1
    row = reads.latest("pk")
    assert (row.citizen_id_ref, row.object_id, row.user_id_ref) == (citizen.pk, str(document.pk), actors[Role.CASEWORKER].pk)


def test_an_office_file_is_downloaded_not_shown(world):
    actors, objs = world
    document = upload(actors[Role.CASEWORKER], objs["citizen"], docx_bytes(), name="u.docx", title="Udtalelse")
    response = logged_in(actors[Role.CASEWORKER]).get(reverse("document-download", args=[document.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="Udtalelse.docx"'
    assert response["Content-Type"] == sniffing.DOCX.content_type


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        (Role.CASEWORKER, 200),
        (Role.COORDINATOR, 200),
        (Role.PROVIDER_STAFF, 404),  # not their provider's upload
        ("other_provider", 404),
        ("other_caseworker", 404),
        ("other_municipality", 404),
        (Role.MANAGER, 404),
        (Role.ADMIN, 404),
        (Role.COMMITTEE, 404),
        (Role.RELATIVE, 404),
        (Role.CITIZEN, 404),  # not shared with them
    ],
)
def test_who_may_download_a_caseworkers_document(world, actor, status):
    actors, objs = world
    document = upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes())
    assert logged_in(actors[actor]).get(reverse("document-download", args=[document.pk])).status_code == status


def test_provider_staff_see_their_providers_uploads_only(world, org):
    actors, objs = world
    own = upload(actors[Role.PROVIDER_STAFF], objs["citizen"], pdf_bytes(), title="Vores notat")
    colleague = make_user(Role.PROVIDER_STAFF, org)
    theirs = upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes(), title="Myndighedens")
    assert logged_in(colleague).get(reverse("document-download", args=[own.pk])).status_code == 200
    listing = logged_in(colleague).get(reverse("citizen-documents", args=[objs["citizen"].pk])).content.decode()
    assert "Vores notat" in listing and "Myndighedens" not in listing
    assert list(policy.visible(colleague, Document.objects.all())) == [own]
    assert theirs not in policy.visible(actors["other_provider"], Document.objects.all())


def test_the_citizen_may_read_only_documents_shared_with_them(world):
    actors, objs = world
    shared = upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes(), shared_with_citizen=True)
    hidden = upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes())
    citizen_user = actors[Role.CITIZEN]
    assert policy.can(citizen_user, policy.VIEW_DOCUMENT, shared)
    assert policy.decide(citizen_user, policy.VIEW_DOCUMENT, hidden).status == 404
    assert policy.decide(citizen_user, policy.UPLOAD_DOCUMENT, objs["citizen"]).status == 403  # read-only here
    assert list(policy.visible(citizen_user, Document.objects.all())) == [shared]


def test_no_public_url_serves_the_file(world, client):
    actors, objs = world
    document = upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes())
    location = Path(services.storage().path(document.storage_name)).resolve()
    for public in (settings.STATIC_ROOT, settings.MEDIA_ROOT, *settings.STATICFILES_DIRS):
        if public:
            assert not location.is_relative_to(Path(public).resolve()), public
    assert not location.is_relative_to(Path(settings.BASE_DIR).resolve())  # not inside the package either
    for url in (
        f"/static/{document.storage_name}",
        f"/media/{document.storage_name}",
        services.storage().url(document.storage_name),
    ):
        assert logged_in(actors[Role.CASEWORKER]).get(url).status_code == 404, url


def test_a_document_cannot_be_changed_or_deleted(world):
    actors, objs = world
    document = upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes())
    document.title = "Ændret"
    with pytest.raises(PermissionError):
        document.save()
    with pytest.raises(PermissionError):
        Document.objects.filter(pk=document.pk).update(title="Ændret")
    with pytest.raises(PermissionError):
        document.delete()


# --- The clamd seam ---------------------------------------------------------------------------


class FakeClamd:
    """A one-connection-at-a-time clamd speaking INSTREAM: FOUND for the EICAR marker."""

    def __init__(self, answer: bytes | None = None) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.answer = answer
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    size = struct.unpack("!L", self._exactly(conn, 4))[0]
                    if size == 0:
                        break
                    data += self._exactly(conn, size)
                self.received.append(data)
                verdict = self.answer or (b"stream: Eicar-Test-Signature FOUND\0" if b"EICAR" in data else b"stream: OK\0")
                conn.sendall(verdict)

    @staticmethod
    def _exactly(conn, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += conn.recv(n - len(out))
        return out

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings):
    fake = FakeClamd()
    settings.SAMPLAN_CLAMD = f"127.0.0.1:{fake.port}"
    yield fake
    fake.close()


def test_clamd_clean_file_is_stored_as_scanned(world, clamd):
    actors, objs = world
    big = pdf_bytes() + b"%" * (3 * scanning.ClamdScanner.CHUNK + 5)  # several chunks
    document = upload(actors[Role.CASEWORKER], objs["citizen"], big)
    assert document.scan_status == Document.ScanStatus.CLEAN
    assert clamd.received == [big]


def test_clamd_found_refuses_the_upload_in_danish(world, clamd):
    actors, objs = world
    client = logged_in(actors[Role.CASEWORKER])
    response = post_upload(client, objs["citizen"], pdf_bytes() + b"EICAR", "virus.pdf", title="Inficeret")
    assert response.status_code == 400
    html = response.content.decode()
    assert "virusscanningen fandt skadeligt indhold" in html and 'value="Inficeret"' in html
    assert not Document.objects.exists()


def test_an_unreachable_or_failing_scanner_refuses_the_upload(world, settings):
    actors, objs = world
    failing = FakeClamd(answer=b"stream: INSTREAM size limit exceeded. ERROR\0")
    try:
        assert scanning.ClamdScanner("127.0.0.1", failing.port).scan(io.BytesIO(b"x")).status == scanning.ERROR
    finally:
        failing.close()
    with socket.create_server(("127.0.0.1", 0)) as probe:
        free_port = probe.getsockname()[1]
    settings.SAMPLAN_CLAMD = f"127.0.0.1:{free_port}"  # nobody listens: fail closed
    with pytest.raises(services.DocumentError) as refused:
        upload(actors[Role.CASEWORKER], objs["citizen"], pdf_bytes())
    assert "kunne ikke virusscannes" in refused.value.message_dict["file"][0]
    assert not Document.objects.exists()


def test_no_scanner_by_default(settings):
    assert settings.SAMPLAN_CLAMD == ""
    assert isinstance(scanning.configured_scanner(), scanning.NoScanner)
    assert scanning.parse_address("[::1]:3310") == ("::1", 3310)
    with pytest.raises(ValueError):
        scanning.parse_address("clamd")


def test_the_size_limit_handler_drops_the_file_and_keeps_the_fields(rf):
    from samplan.documents.uploads import limit_uploads

    request = rf.post("/x/", {"title": "Bevares", "file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 5000)})
    handler = limit_uploads(request, 1000)
    assert request.POST["title"] == "Bevares"
    assert "file" not in request.FILES and handler.skipped == ["file"]
    small = rf.post("/x/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1")})
    handler = limit_uploads(small, 1000)
    assert small.FILES["file"].read() == b"%PDF-1" and handler.skipped == []


def test_the_demo_documents_are_real_pdfs_made_through_the_service(world):
    from samplan.demo.documents import seed_demo_documents

    actors, objs = world
    made = seed_demo_documents(objs["citizen"], caseworker=actors[Role.CASEWORKER], provider_user=actors[Role.PROVIDER_STAFF])
    assert made == 2 and seed_demo_documents(objs["citizen"], caseworker=actors[Role.CASEWORKER]) == 0
    shared = Document.objects.get(shared_with_citizen=True)
    assert shared.content_type == "application/pdf" and shared.case == objs["case"]
    assert services.storage().open(shared.storage_name).read().startswith(b"%PDF-")
