from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from iomborder.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump) and the stored files into one archive, with a "
        "manifest of every table's rows and every file's checksum. The archive goes to the backups storage "
        '(STORAGES["backups"]: var/backups, or the bucket\'s backups/ folder), or to --output-dir.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, help="A folder of this machine for the archive instead.")

    def handle(self, *args, output_dir=None, **options):
        destination = FileSystemStorage(location=output_dir) if output_dir else storages["backups"]
        try:
            name = backup(database=settings.DATABASES["default"], files=storages["default"], destination=destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        where = destination.path(name) if isinstance(destination, FileSystemStorage) else f"backups/{name}"
        self.stdout.write(self.style.SUCCESS(f"Backup written to {where}"))
