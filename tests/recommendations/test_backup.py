"""A backup restored into an empty database holds the same rows and the same answers, word for word."""

import pytest
from django.core.management import CommandError, call_command

from recommendations.backup import answers_checksum, model_counts
from recommendations.models import StatusUpdate

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
