from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iomborder.backup import BackupError, restore
from iomborder.env import database_from_url


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and an empty files folder, and check every table's "
        "rows and every file against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL's.")
        parser.add_argument("--media-root", type=Path, help="Restore the files here instead of MEDIA_ROOT.")

    def handle(self, *args, archive, database_url=None, media_root=None, **options):
        database = (
            database_from_url("--database-url", database_url, settings.BASE_DIR)
            if database_url
            else settings.DATABASES["default"]
        )
        try:
            manifest = restore(archive=archive, database=database, media_root=media_root or Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows in {len(manifest['tables'])} tables and {len(manifest['files'])} files, "
                "all checked against the backup."
            )
        )
