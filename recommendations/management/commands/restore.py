from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.backup import answers_checksum, backup_restore, model_counts


class Command(BaseCommand):
    help = (
        "Restore a file written by `manage.py backup` into a new database (run `manage.py migrate` first). "
        "All or nothing. Prints the answer count and checksum: they must equal the backup's."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "input",
            help="The .json.gz file written by `manage.py backup` (its documents are in NAME.documents/ beside it)",
        )

    def handle(self, *args, input, **options):
        try:
            backup_restore(Path(input))
        except ValueError as error:
            raise CommandError(str(error)) from None
        counts = model_counts()
        self.stdout.write(
            f"Restored {input}: {counts['recommendations.StatusUpdate']} answer versions, "
            f"{counts['recommendations.Document']} evidence documents (each checked against its SHA-256 digest)."
        )
        self.stdout.write(f"Answer checksum: {answers_checksum()}")
