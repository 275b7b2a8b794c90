"""Two uploads to the same answer at the same moment, on two real PostgreSQL connections: one is
saved, the other refused whole, and the store holds exactly the files the rows name."""

import hashlib
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from recommendations import evidence
from recommendations.models import Document, EvidenceDocument, Status, StatusUpdate
from recommendations.services import NewDocument, StaleAnswer, status_update_save
from tests.recommendations.test_evidence_documents import PDF, docx_bytes, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL=postgres://..."
    ),
]


def stored_files(media_root) -> set[str]:
    root = Path(media_root)
    return {path.name for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.mark.parametrize("same_file", [False, True], ids=["two-files", "one-file-twice"])
@pytest.mark.parametrize("repeat", range(3))
def test_of_two_simultaneous_uploads_one_is_saved_and_nothing_is_half_stored(
    open_round, force_a, lead_a, media_root, same_file, repeat
):
    recommendation = open_round.recommendations.get(reference="1")
    files = [(PDF, "first.pdf"), (PDF if same_file else docx_bytes(), "second.docx" if not same_file else "again.pdf")]
    checked = [evidence.document_check(upload(data, name)) for data, name in files]
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(document):
        try:
            barrier.wait(timeout=10)
            status_update_save(
                round=open_round,
                force=force_a,
                recommendation=recommendation,
                user=lead_a,
                expected_version=0,
                status=Status.IN_PROGRESS,
                narrative=f"Saved with {document.name}.",
                documents=[NewDocument(document, publishable=False)],
            )
            outcomes[document.name] = "saved"
        except StaleAnswer:
            outcomes[document.name] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(document,)) for document in checked]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["refused", "saved"]
    [winner] = [name for name, outcome in outcomes.items() if outcome == "saved"]
    version = StatusUpdate.objects.get()
    assert version.narrative == f"Saved with {winner}."
    assert [row.name for row in EvidenceDocument.objects.all()] == [winner]
    # Every stored file has its row, and every row its file, with the right content.
    assert stored_files(media_root) == set(Document.objects.values_list("sha256", flat=True))
    [document] = Document.objects.all()
    stored = Path(media_root) / evidence.storage_name(document.sha256)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == document.sha256
