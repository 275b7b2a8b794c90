from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.backup import answers_checksum, backup_write, documents_folder, model_counts


class Command(BaseCommand):
    help = (
        "Write everything (forces, users, reports, rounds, every version of every answer, history, audit trail) "
        "to a gzipped JSON file, and every evidence document (checked against its SHA-256 digest) to the folder "
        "NAME.documents/ beside it; print the answer count and checksum to compare after a restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The file to write, ending .json.gz")

    def handle(self, *args, output, **options):
        try:
            backup_write(Path(output))
        except ValueError as error:
            raise CommandError(str(error)) from None
        counts = model_counts()
        self.stdout.write(
            f"Backup written to {output}: {counts['recommendations.StatusUpdate']} answer versions; "
            f"{counts['recommendations.Document']} evidence documents in {documents_folder(Path(output))}."
        )
        self.stdout.write(f"Answer checksum: {answers_checksum()}")
