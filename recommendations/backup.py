"""Dump and restore everything the service holds, and a checksum of every answer to prove it.

A backup is two things side by side: `NAME.json.gz` (every row, Django's fixture format) and the
folder `NAME.documents/` (each evidence document's content, named by its SHA-256 digest). A restore
checks every document's digest and size against its row before the restore is committed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from .models import Document, StatusUpdate

CHUNK = 1024 * 1024


class DocumentMismatch(ValueError):
    """A document's content does not match its digest or size: the backup or the store is damaged."""


# Rebuilt by migrate itself, so never dumped (their ids differ between databases); the figures'
# revision numbers are raised again by the database as the restore writes every row.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "recommendations.figuresrevision"]


def answers_checksum() -> str:
    """SHA-256 over every version of every answer, in a fixed order, field by field."""
    digest = hashlib.sha256()
    rows = StatusUpdate.objects.order_by(
        "round__slug", "force__slug", "recommendation__reference", "version"
    ).values_list(
        "round__slug",
        "force__slug",
        "recommendation__reference",
        "version",
        "state",
        "status",
        "narrative",
        "evidence",
        "not_applicable_reason",
        "withdrawal_reason",
        "is_current",
        "is_latest_submitted",
        "created_at",
        "created_by__username",
    )
    for row in rows.iterator(chunk_size=2000):
        digest.update(
            repr(tuple(value.isoformat() if hasattr(value, "isoformat") else value for value in row)).encode()
        )
    return digest.hexdigest()


def model_counts() -> dict[str, int]:
    excluded_apps = {"contenttypes", "sessions"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label not in {"auth.Permission", "admin.LogEntry", "recommendations.FiguresRevision"}
    }


def backup_write(path: Path) -> None:
    """Everything but what migrate rebuilds, as gzipped JSON (Django's own fixture format)."""
    if not str(path).endswith(".json.gz"):
        raise ValueError("Name the backup file something.json.gz")
    folder = documents_folder(path)
    if folder.exists() and any(folder.iterdir()):
        raise ValueError(f"{folder} already holds files: write the backup under a new name.")
    buffer = io.StringIO()
    serializers.register_serializer("json_exact", "recommendations.backup_json")
    call_command(
        "dumpdata",
        format="json_exact",
        exclude=EXCLUDED,
        natural_foreign=True,
        natural_primary=True,
        stdout=buffer,
    )
    folder.mkdir(parents=True, exist_ok=True)
    for document in Document.objects.order_by("pk").iterator():
        with default_storage.open(document.storage_name, "rb") as source, open(folder / document.sha256, "wb") as copy:
            _copy_checked(source, copy, document)
    with gzip.open(path, "wt", encoding="utf-8") as archive:
        archive.write(buffer.getvalue())


def documents_folder(path: Path) -> Path:
    """Where a backup's documents are: beside NAME.json.gz, in NAME.documents/."""
    return path.with_name(path.name.removesuffix(".json.gz") + ".documents")


def _copy_checked(source, target, document: Document) -> None:
    """Copy in chunks, then refuse the copy unless its digest and size are the document's."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    if digest.hexdigest() != document.sha256 or size != document.size:
        raise DocumentMismatch(
            f"The document {document.sha256} does not match its digest or size ({size} bytes): nothing was "
            "restored or backed up. Find the original file before you go on."
        )


@transaction.atomic
def backup_restore(path: Path) -> None:
    """Load a backup into a migrated database that holds no answers yet: all of it, or on any error none."""
    if not str(path).endswith(".json.gz"):
        raise ValueError("A backup file is named something.json.gz")
    if StatusUpdate.objects.exists():
        raise ValueError("This database already holds answers: restore into a new, migrated, empty database.")
    # The backup holds the history as it was; loading must not write history of its own.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(path), verbosity=0)
    documents_restore(documents_folder(path))


def documents_restore(folder: Path) -> int:
    """Store each restored document's content from the backup's folder, each checked against its
    digest and size; on any mismatch, or a file missing, the files stored so far are removed and the
    caller's transaction is rolled back by the exception."""
    written: list[str] = []
    try:
        for document in Document.objects.order_by("pk").iterator():
            source_path = folder / document.sha256
            if not source_path.is_file():
                raise DocumentMismatch(
                    f"The backup has no file for the document {document.sha256}: nothing was restored."
                )
            if default_storage.exists(document.storage_name):
                with default_storage.open(document.storage_name, "rb") as stored:
                    _copy_checked(stored, _Discard(), document)
                continue
            with open(source_path, "rb") as source:
                _copy_checked(source, _Discard(), document)
                source.seek(0)
                stored_name = default_storage.save(document.storage_name, File(source))
            written.append(stored_name)
            if stored_name != document.storage_name:
                raise DocumentMismatch(f"The store saved {document.storage_name} as {stored_name}.")
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return len(written)


class _Discard:
    def write(self, data: bytes) -> None:
        pass
