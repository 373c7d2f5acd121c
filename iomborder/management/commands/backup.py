from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iomborder.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump) and the files (MEDIA_ROOT) into one archive, "
        "with a manifest of every table's rows and every file's checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", type=Path, default=settings.VAR_DIR / "backups", help="Folder of the archive."
        )

    def handle(self, *args, output_dir, **options):
        try:
            archive = backup(
                database=settings.DATABASES["default"], media_root=Path(settings.MEDIA_ROOT), destination=output_dir
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
