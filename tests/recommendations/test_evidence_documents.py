"""Evidence documents attached to an answer: what is accepted, what is refused (each with its message,
and storage and database unchanged), versions keeping their documents, and who may download them."""

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument
from openpyxl import Workbook

from recommendations import evidence
from recommendations.models import AuditEvent, Document, EvidenceDocument, Status, StatusUpdate
from recommendations.services import NewDocument, StaleAnswer, status_update_save
from tests.factories import make_lead

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes(text="Our HBA policy.") -> bytes:
    document = WordDocument()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Training completed"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def odf_bytes(mimetype: str, extra: dict[str, bytes] | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        package.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", "<manifest/>", zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            package.writestr(name, data, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def repacked(data: bytes, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """A copy of a ZIP package with parts added or replaced."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, (replace or {}).get(entry.filename, source.read(entry)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def docm_bytes() -> bytes:
    original = docx_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as package:
        types = package.read("[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return repacked(
        original, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, replace={"[Content_Types].xml": types.encode()}
    )


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def answer_url(open_round, force_a):
    return f"/forces/{force_a.slug}/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"


def answer_post(**fields):
    return {
        "status": Status.IN_PROGRESS,
        "narrative": "Policy drafted and out for consultation.",
        "version": 0,
    } | fields


def stored_files(media_root) -> set[str]:
    root = Path(media_root)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def database_state() -> tuple:
    return (
        Document.objects.count(),
        EvidenceDocument.objects.count(),
        StatusUpdate.objects.count(),
        AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_ATTACHED).count(),
    )


# What is accepted


@pytest.mark.parametrize(
    "data, name, kind",
    [
        (PDF, "policy.pdf", evidence.PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "chart.png", evidence.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "photo.jpeg", evidence.JPEG),
        (docx_bytes(), "sop.docx", evidence.DOCX),
        (xlsx_bytes(), "training.xlsx", evidence.XLSX),
        (odf_bytes(evidence.ODT.content_type), "notes.odt", evidence.ODT),
        (odf_bytes(evidence.ODS.content_type), "figures.ods", evidence.ODS),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods"],  # the files' bytes hold the time they were made
)
def test_each_accepted_type_is_told_from_its_content(data, name, kind):
    checked = evidence.document_check(upload(data, name))
    assert checked.kind == kind
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.size == len(data)


def test_a_misnamed_accepted_file_is_named_for_what_it_is():
    assert evidence.document_check(upload(PDF, "policy.docx")).name == "policy.docx.pdf"
    assert evidence.document_check(upload(docx_bytes(), "sop")).name == "sop.docx"


@pytest.mark.parametrize(
    "name, cleaned",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\lead\\Desktop\\policy.pdf", "policy.pdf"),
        ("re\x00po\x1b[31mrt\u202efdp.pdf", "repo[31mrtfdp.pdf"),
        ("  ...hidden.pdf  ", "hidden.pdf"),
        ('a<b>c:"d"|e?f*.pdf', "a_b_c__d__e_f_.pdf"),
        ("\u202e\u2066", "document.pdf"),
        ("x" * 400 + ".pdf", "x" * evidence.NAME_MAX_CHARACTERS + ".pdf"),
    ],
)
def test_a_file_name_is_cleaned_of_paths_and_control_characters(name, cleaned):
    assert evidence.clean_file_name(name, evidence.PDF) == cleaned


# What is refused, at the check


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", evidence.EMPTY),
        (b"MZ\x90\x00\x03" + b"\x00" * 100, evidence.NOT_ACCEPTED),  # a Windows program
        (b"\x7fELF" + b"\x00" * 100, evidence.NOT_ACCEPTED),
        (b"just some text", evidence.NOT_ACCEPTED),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, evidence.NOT_ACCEPTED),  # a legacy .doc
        (docm_bytes(), evidence.MACROS),
        (repacked(docx_bytes(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), evidence.MACROS),
        (odf_bytes(evidence.ODT.content_type, {"Basic/Standard/Module1.xml": b"<macro/>"}), evidence.MACROS),
        (repacked(docx_bytes(), add={"word/embeddings/inner.zip": b"PK\x03\x04rest"}), evidence.PACKED),
        (repacked(docx_bytes(), add={"word/embeddings/tool.bin": b"MZ\x90\x00program"}), evidence.PACKED),
        (odf_bytes("application/zip"), evidence.NOT_ACCEPTED),
        (b"PK\x03\x04 not really a zip", evidence.DAMAGED),
    ],
    ids=[
        "empty",
        "exe",
        "elf",
        "text",
        "legacy-doc",
        "docm",
        "vba-part",
        "odf-basic",
        "nested-zip",
        "embedded-program",
        "other-odf",
        "broken-zip",
    ],
)
def test_a_file_that_is_not_an_accepted_document_is_refused_with_a_message(data, message):
    with pytest.raises(evidence.DocumentRefused) as refused:
        evidence.document_check(upload(data, "report.pdf"))
    assert str(refused.value) == message


def test_a_zip_bomb_inside_a_docx_is_refused():
    bomb = repacked(docx_bytes(), add={"word/media/padding.xml": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(evidence.DocumentRefused, match="unpacks to far more than its size"):
        evidence.document_check(upload(bomb, "sop.docx"))


def test_a_zip_whose_headers_understate_its_parts_is_refused():
    """The declared sizes pass the limits; reading the parts finds the truth (the CRC fails)."""
    data = bytearray(repacked(docx_bytes(), add={"word/big.xml": b"a" * 200_000}))
    # Make the central directory claim the big part is small: reading it then ends early and fails its CRC.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("word/big.xml")
    directory = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/big.xml"))
    data[directory + 24 : directory + 28] = (1000).to_bytes(4, "little")
    assert info.file_size == 200_000
    with pytest.raises(evidence.DocumentRefused):
        evidence.document_check(upload(bytes(data), "sop.docx"))


# What is refused, through the page: a message beside the field, the text kept, nothing stored


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.pdf", evidence.EMPTY),
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "report.pdf", evidence.NOT_ACCEPTED),
        (docm_bytes(), "sop.docx", evidence.MACROS),
    ],
    ids=["empty", "renamed-exe", "macro"],
)
def test_a_refused_upload_keeps_the_answer_typed_and_stores_nothing(
    client, lead_a, answer_url, media_root, data, name, message
):
    client.force_login(lead_a)
    before = (stored_files(media_root), database_state())
    response = client.post(
        answer_url,
        answer_post(
            narrative="Text I typed and must not lose.", document=upload(data, name), document_marking="internal"
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message.replace('"', "&quot;") in page or message in page
    assert "Text I typed and must not lose." in page
    assert "Nothing was saved and the document was not added" in page
    assert (stored_files(media_root), database_state()) == before


def test_a_zip_bomb_docx_through_the_page_stores_nothing(client, lead_a, answer_url, media_root):
    client.force_login(lead_a)
    bomb = repacked(docx_bytes(), add={"word/media/padding.xml": b"\x00" * (60 * 1024 * 1024)})
    before = (stored_files(media_root), database_state())
    response = client.post(answer_url, answer_post(document=upload(bomb, "sop.docx"), document_marking="internal"))
    assert evidence.BOMB in response.content.decode()
    assert (stored_files(media_root), database_state()) == before


class EndlessBody:
    """A request body of `length` declared bytes, made up as it is read, counting what was read."""

    def __init__(self, head: bytes, length: int):
        self.head, self.length, self.read_bytes = head, length, 0

    def read(self, size=-1):
        size = self.length - self.read_bytes if size is None or size < 0 else size
        size = min(size, self.length - self.read_bytes)
        start = self.read_bytes
        self.read_bytes += size
        data = self.head[start : start + size]
        return data + b"%" * (size - len(data))

    def readline(self, size=-1):
        return self.read(size)


def test_a_200_mb_upload_is_refused_before_it_is_read_whole(client, lead_a, answer_url, media_root):
    client.force_login(lead_a)
    boundary = "----tracker-boundary"
    fields = answer_post(narrative="Text typed above the file.", document_marking="internal")
    head = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        )
        + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="huge.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        ).encode()
    )
    body = EndlessBody(head, 200 * 1024 * 1024)
    before = (stored_files(media_root), database_state())
    # The test client sends its own body only when given one: the body and its headers are the test's.
    response = client.post(
        answer_url,
        data=b"",
        content_type="application/octet-stream",
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert evidence.TOO_LARGE in page
    assert "Text typed above the file." in page
    assert body.read_bytes < 1024 * 1024, "the body was read past the file's first bytes"
    assert (stored_files(media_root), database_state()) == before


# Saving with documents, and the versions after


def test_a_lead_attaches_documents_and_each_is_stored_once_under_its_digest(client, lead_a, answer_url, media_root):
    client.force_login(lead_a)
    response = client.post(
        answer_url,
        answer_post(document=upload(PDF, "../policy.pdf"), document_marking="internal", attach=""),
    )
    assert response.status_code == 302 and response["Location"].endswith(answer_url + "#documents")
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored_files(media_root) == {f"documents/{digest[:2]}/{digest}"}
    [attached] = EvidenceDocument.objects.all()
    assert (attached.name, attached.publishable, attached.version.version, attached.version.state) == (
        "policy.pdf",
        False,
        1,
        "draft",
    )
    assert attached.document.content_type == "application/pdf" and attached.document.size == len(PDF)
    page = client.get(answer_url).content.decode()
    assert "policy.pdf" in page and digest in page and "Internal" in page

    client.post(
        answer_url,
        answer_post(version=1, document=upload(docx_bytes(), "sop.docx"), document_marking="publishable", attach=""),
    )
    version = StatusUpdate.objects.get(is_current=True)
    assert [(row.name, row.publishable) for row in version.documents.all()] == [
        ("policy.pdf", False),
        ("sop.docx", True),
    ]
    # The first version still lists only the PDF; the PDF is stored once for both.
    assert [row.name for row in StatusUpdate.objects.get(version=1).documents.all()] == ["policy.pdf"]
    assert len(stored_files(media_root)) == 2 and Document.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_ATTACHED).count() == 2


def test_a_removed_document_stays_with_earlier_versions_and_in_storage(client, lead_a, answer_url, media_root):
    client.force_login(lead_a)
    client.post(answer_url, answer_post(document=upload(PDF, "policy.pdf"), document_marking="internal", attach=""))
    attached = EvidenceDocument.objects.get()
    response = client.post(answer_url, answer_post(version=1, documents_removed=[attached.pk], save_draft=""))
    assert response.status_code == 302
    assert StatusUpdate.objects.get(version=2).documents.count() == 0
    assert StatusUpdate.objects.get(version=1).documents.count() == 1
    assert len(stored_files(media_root)) == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_REMOVED).count() == 1


def test_submitting_and_withdrawing_keep_the_documents(lead_a, open_round, force_a, client, answer_url):
    client.force_login(lead_a)
    client.post(answer_url, answer_post(document=upload(PDF, "policy.pdf"), document_marking="internal", attach=""))
    client.post(f"/forces/{force_a.slug}/rounds/{open_round.slug}/check/")
    submitted = StatusUpdate.objects.get(is_latest_submitted=True)
    assert [row.name for row in submitted.documents.all()] == ["policy.pdf"]
    client.post(f"{answer_url}withdraw/", {"version": submitted.version, "reason": "Sent in error."})
    withdrawn = StatusUpdate.objects.get(is_current=True)
    assert withdrawn.state == "withdrawn" and [row.name for row in withdrawn.documents.all()] == ["policy.pdf"]


def test_the_same_file_twice_on_one_answer_is_refused(client, lead_a, answer_url, media_root):
    client.force_login(lead_a)
    client.post(answer_url, answer_post(document=upload(PDF, "policy.pdf"), document_marking="internal", attach=""))
    before = (stored_files(media_root), database_state())
    response = client.post(
        answer_url, answer_post(version=1, document=upload(PDF, "copy.pdf"), document_marking="internal", attach="")
    )
    assert "copy.pdf is already attached to this answer" in response.content.decode()
    assert (stored_files(media_root), database_state()) == before


def test_a_document_needs_its_marking_and_add_document_needs_a_file(client, lead_a, answer_url, media_root):
    client.force_login(lead_a)
    page = client.post(answer_url, answer_post(document=upload(PDF, "policy.pdf"))).content.decode()
    assert "Say whether the document is internal or can be published" in page
    page = client.post(answer_url, answer_post(attach="")).content.decode()
    assert "Select a document to add" in page
    assert stored_files(media_root) == set() and database_state() == (0, 0, 0, 0)


def test_two_uploads_at_once_to_the_same_answer_store_only_the_one_saved(client, lead_a, answer_url, media_root):
    """Both pages were opened at version 0; the second save is refused whole, with its text kept."""
    client.force_login(lead_a)
    client.post(answer_url, answer_post(document=upload(PDF, "first.pdf"), document_marking="internal"))
    before = (stored_files(media_root), database_state())
    response = client.post(
        answer_url,
        answer_post(
            narrative="The second person's text.",
            document=upload(docx_bytes(), "second.docx"),
            document_marking="internal",
        ),
    )
    page = response.content.decode()
    assert "Someone else saved this answer while you were editing it" in page
    assert "your document was not added: choose it again" in page
    assert "The second person&#x27;s text." in page or "The second person's text." in page
    assert (stored_files(media_root), database_state()) == before


def test_a_save_that_fails_after_the_file_is_written_leaves_no_file(
    lead_a, open_round, force_a, media_root, monkeypatch
):
    """A failure anywhere later in the transaction removes the file written for it: no orphan."""
    import recommendations.services as services

    def broken(*args, **kwargs):
        raise RuntimeError("the audit trail could not be written")

    monkeypatch.setattr(services, "_answer_saved_record", broken)
    checked = evidence.document_check(upload(PDF, "policy.pdf"))
    with pytest.raises(RuntimeError):
        status_update_save(
            round=open_round,
            force=force_a,
            recommendation=open_round.recommendations.get(reference="1"),
            user=lead_a,
            expected_version=0,
            status=Status.IN_PROGRESS,
            narrative="Drafted.",
            documents=[NewDocument(checked, publishable=False)],
        )
    assert stored_files(media_root) == set() and database_state() == (0, 0, 0, 0)


def test_the_service_refuses_too_many_documents_in_all(lead_a, open_round, force_a, media_root, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_ANSWER_DOCUMENTS_BYTES", len(PDF) + 10)
    recommendation = open_round.recommendations.get(reference="1")
    save = dict(round=open_round, force=force_a, recommendation=recommendation, user=lead_a)
    save |= dict(status=Status.IN_PROGRESS, narrative="Drafted.")
    status_update_save(
        **save, expected_version=0, documents=[NewDocument(evidence.document_check(upload(PDF, "a.pdf")), False)]
    )
    before = (stored_files(media_root), database_state())
    with pytest.raises(ValidationError, match="smaller than 0 MB in all"):
        status_update_save(
            **save,
            expected_version=1,
            documents=[NewDocument(evidence.document_check(upload(docx_bytes(), "b.docx")), False)],
        )
    assert (stored_files(media_root), database_state()) == before
    with pytest.raises(StaleAnswer):
        status_update_save(**save, expected_version=0)


# Downloads


@pytest.fixture
def attached(client, lead_a, answer_url):
    client.force_login(lead_a)
    client.post(answer_url, answer_post(document=upload(PDF, "policy.pdf"), document_marking="internal", attach=""))
    return EvidenceDocument.objects.get()


def test_the_lead_downloads_a_document_as_an_attachment(client, lead_a, answer_url, attached):
    client.force_login(lead_a)
    response = client.get(f"{answer_url}documents/{attached.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="policy.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_draft_s_documents_are_the_force_s_own(client, portfolio, lead_b, answer_url, attached, force_b, open_round):
    url = f"{answer_url}documents/{attached.pk}/"
    for user in (portfolio, lead_b):
        client.force_login(user)
        assert client.get(url).status_code == 404
    # Under another force's address the document is not found either.
    client.force_login(lead_b)
    other = url.replace(f"/forces/{attached.version.force.slug}/", f"/forces/{force_b.slug}/")
    assert client.get(other).status_code == 404


def test_staff_read_a_submitted_answer_s_documents_beside_it(client, portfolio, lead_a, attached, force_a, open_round):
    client.force_login(lead_a)
    client.post(f"/forces/{force_a.slug}/rounds/{open_round.slug}/check/")
    submitted = StatusUpdate.objects.get(is_latest_submitted=True)
    [row] = submitted.documents.all()
    client.force_login(portfolio)
    page = client.get(
        f"/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/1/forces/{force_a.slug}/"
    ).content.decode()
    assert "policy.pdf" in page and row.document.sha256 in page
    url = f"/forces/{force_a.slug}/rounds/{open_round.slug}/answers/tvip-super-complaint/1/documents/{row.pk}/"
    assert client.get(url).status_code == 200


def test_a_lead_of_another_force_who_guesses_ids_gets_nothing(client, attached, force_b, open_round):
    client.force_login(make_lead(force_b, username="another-lead"))
    for pk in range(attached.pk - 1, attached.pk + 3):
        url = f"/forces/{attached.version.force.slug}/rounds/{open_round.slug}/answers/tvip-super-complaint/1/documents/{pk}/"
        assert client.get(url).status_code == 404


def test_the_round_csv_lists_each_submitted_answer_s_documents(
    client, portfolio, attached, lead_a, force_a, open_round
):
    client.force_login(lead_a)
    client.post(f"/forces/{force_a.slug}/rounds/{open_round.slug}/check/")
    client.force_login(portfolio)
    response = client.get(f"/dashboard/rounds/{open_round.slug}/answers.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    [row] = [row for row in rows if row["Recommendation"] == "1"]
    assert row["Evidence documents"] == f"policy.pdf (internal, SHA-256 {hashlib.sha256(PDF).hexdigest()})"


def test_an_office_reads_the_documents_of_its_own_answers(client, demo):
    from django.contrib.auth import get_user_model

    from forces.models import Force
    from recommendations.models import Recommendation, Round
    from recommendations.rules import Party

    users = {user.username: user for user in get_user_model().objects.all()}
    open_round = Round.objects.get(closed=False)
    recommendation = open_round.recommendations.get(addressee=Recommendation.Addressee.PCCS)
    status_update_save(
        round=open_round,
        force=Force.objects.get(slug="west-midlands"),
        recommendation=recommendation,
        user=users["pcc-west-midlands"],
        expected_version=0,
        status=Status.IN_PROGRESS,
        narrative="Commissioned services reviewed.",
        party=Party.BODY,
        documents=[NewDocument(evidence.document_check(upload(PDF, "review.pdf")), publishable=True)],
    )
    attached = EvidenceDocument.objects.get()
    url = (
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/{recommendation.report.slug}/"
        f"{recommendation.reference}/documents/{attached.pk}/"
    )
    # A draft: the office's own; staff wait for it to be submitted; nobody else's.
    expected = {"pcc-west-midlands": 200, "portfolio": 404, "pcc-kent": 404, "lead-kent": 404}
    for username, status in expected.items():
        client.force_login(users[username])
        assert client.get(url).status_code == status, username
    # The office's answer page lists it, with its download.
    client.force_login(users["pcc-west-midlands"])
    page = client.get(url.split("documents/")[0]).content.decode()
    assert "review.pdf" in page and url in page
