"""Reads of an answer's versions, and what changed between two of them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db.models import QuerySet

from forces.models import Force

from ..models import EvidenceDocument, Recommendation, Round, StatusUpdate


def answer_history(round: Round, force: Force, recommendation: Recommendation) -> QuerySet[StatusUpdate]:
    return (
        StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
        .select_related("created_by", "reviewed_by", "reused_from__recommendation__report")
        .order_by("-version")
    )


def answer_documents(version: StatusUpdate | None) -> list[EvidenceDocument]:
    """The evidence documents one version of an answer lists, with their stored files (one query)."""
    if version is None:
        return []
    return list(EvidenceDocument.objects.filter(version=version).select_related("document"))


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    segments: list[tuple[str, str]]  # ("same" | "added" | "removed", text)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    segments: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("same", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(old_words[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(new_words[j1:j2])))
    return segments


def version_comparison(older: StatusUpdate, newer: StatusUpdate) -> list[Change]:
    """What changed between two versions of an answer, field by field, the narrative word by word."""
    fields = [
        ("Status", older.get_status_display(), newer.get_status_display()),
        ("Reason it does not apply", older.not_applicable_reason, newer.not_applicable_reason),
        ("Progress update", older.narrative, newer.narrative),
        ("Evidence links", older.evidence, newer.evidence),
    ]
    return [Change(label, old, new, _word_diff(old, new)) for label, old, new in fields if old or new]
