"""Dump and restore everything the service holds, and a checksum of every answer to prove it."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from .models import StatusUpdate

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
    buffer = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, natural_primary=True, stdout=buffer)
    with gzip.open(path, "wt", encoding="utf-8") as archive:
        archive.write(buffer.getvalue())


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
