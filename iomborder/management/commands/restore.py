import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from iomborder.backup import BackupError, restore
from iomborder.env import database_from_url


class Command(BaseCommand):
    help = (
        "Restore a backup archive (a file of this machine, or the name of one in the backups storage) into an "
        "empty database and an empty file storage, and check every table's rows and every file against the "
        "backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL's.")
        parser.add_argument("--media-root", type=Path, help="Restore the files into this folder instead.")

    def handle(self, *args, archive, database_url=None, media_root=None, **options):
        database = (
            database_from_url("--database-url", database_url, settings.BASE_DIR)
            if database_url
            else settings.DATABASES["default"]
        )
        files = FileSystemStorage(location=media_root) if media_root else storages["default"]
        with tempfile.TemporaryDirectory() as work:
            local = Path(archive)
            if not local.is_file():
                if not storages["backups"].exists(archive):
                    raise CommandError(f"{archive}: no such file here, nor in the backups storage")
                local = Path(work) / "archive.tar.gz"
                with storages["backups"].open(archive, "rb") as stored, local.open("wb") as copy:
                    for chunk in iter(lambda: stored.read(1 << 20), b""):
                        copy.write(chunk)
            try:
                manifest = restore(archive=local, database=database, files=files)
            except BackupError as exc:
                raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows in {len(manifest['tables'])} tables and {len(manifest['files'])} files, "
                "all checked against the backup."
            )
        )
