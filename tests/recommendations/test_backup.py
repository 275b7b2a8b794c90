"""A backup restored into an empty database holds the same rows and the same answers, word for word."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from forces.models import Force
from recommendations import evidence
from recommendations.backup import answers_checksum, model_counts
from recommendations.models import Document, EvidenceDocument, Recommendation, Round, Status, StatusUpdate
from recommendations.services import NewDocument, status_update_save
from tests.recommendations.test_evidence_documents import PDF, docx_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_every_row_and_every_answer(demo, tmp_path, capsys):
    StatusUpdate.objects.filter(force__name="Cheshire").update(
        narrative="Ünïcode, RTL مرحبا, emoji 🚓, <b>html</b>\nand a new line"
    )
    before_counts, before_checksum = model_counts(), answers_checksum()
    backup = tmp_path / "tracker.json.gz"
    call_command("backup", str(backup))
    assert f"Answer checksum: {before_checksum}" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)
    assert StatusUpdate.objects.count() == 0
    call_command("restore", str(backup))

    assert f"Answer checksum: {before_checksum}" in capsys.readouterr().out
    assert answers_checksum() == before_checksum
    assert model_counts() == before_counts


def test_restoring_over_existing_answers_is_refused_and_changes_nothing(demo, tmp_path):
    backup = tmp_path / "tracker.json.gz"
    call_command("backup", str(backup))
    before = answers_checksum()
    with pytest.raises(CommandError, match="already holds answers"):
        call_command("restore", str(backup))
    assert answers_checksum() == before


def _attach_documents() -> list[tuple[str, bytes]]:
    """Two documents on West Midlands' answer in the open round, the second on a later version too."""
    open_round = Round.objects.get(closed=False)
    force = Force.objects.get(slug="west-midlands")
    recommendation = open_round.recommendations.filter(addressee=Recommendation.Addressee.CHIEF_CONSTABLES).first()
    lead = get_user_model().objects.get(username="lead-west-midlands")
    files = [(PDF, "policy.pdf"), (docx_bytes(), "sop.docx")]
    for version, (data, name) in enumerate(files):
        status_update_save(
            round=open_round,
            force=force,
            recommendation=recommendation,
            user=lead,
            expected_version=version,
            status=Status.IN_PROGRESS,
            narrative="Policy drafted.",
            documents=[NewDocument(evidence.document_check(upload(data, name)), publishable=bool(version))],
        )
    return [(hashlib.sha256(data).hexdigest(), data) for data, _ in files]


def _stored(digest: str) -> bytes:
    with default_storage.open(evidence.storage_name(digest), "rb") as stored:
        return stored.read()


def test_a_backup_restores_every_document_with_its_digest_checked(demo, tmp_path, settings, capsys):
    documents = _attach_documents()
    before_counts, before_checksum = model_counts(), answers_checksum()
    backup = tmp_path / "tracker.json.gz"
    call_command("backup", str(backup))
    assert "2 evidence documents in" in capsys.readouterr().out
    assert sorted(path.name for path in (tmp_path / "tracker.documents").iterdir()) == sorted(d for d, _ in documents)

    # A new machine: an empty database and an empty document store.
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-store"
    call_command("restore", str(backup))

    assert "2 evidence documents (each checked against its SHA-256 digest)" in capsys.readouterr().out
    assert model_counts() == before_counts and answers_checksum() == before_checksum
    for digest, data in documents:
        assert _stored(digest) == data
        assert hashlib.sha256(_stored(digest)).hexdigest() == Document.objects.get(sha256=digest).sha256
    assert EvidenceDocument.objects.filter(version__version=2).count() == 2


def test_a_backup_whose_document_was_altered_is_not_restored(demo, tmp_path, settings):
    [(digest, _), _] = _attach_documents()
    backup = tmp_path / "tracker.json.gz"
    call_command("backup", str(backup))
    (tmp_path / "tracker.documents" / digest).write_bytes(b"%PDF-1.4 altered")

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-store"
    with pytest.raises(CommandError, match=f"The document {digest} does not match its digest"):
        call_command("restore", str(backup))
    assert StatusUpdate.objects.count() == 0 and Document.objects.count() == 0
    assert not any(path.is_file() for path in (tmp_path / "new-store").rglob("*"))
