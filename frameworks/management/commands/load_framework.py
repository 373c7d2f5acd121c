from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.services import SHIPPED_LIBRARIES, LibraryError, library_load


class Command(BaseCommand):
    help = (
        "Load library files (YAML) of the reference catalogue and criteria. Without a path, the shipped "
        "catalogue: ISO 3166 member states, support and thematic areas, international references, criteria. "
        "Idempotent; a changed criteria library must carry a new version number."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Library files, loaded in order.")

    def handle(self, *args, paths, **options):
        try:
            report = library_load(paths=paths or SHIPPED_LIBRARIES)
        except LibraryError as exc:
            raise CommandError(exc.message) from None
        for label in report.frameworks_loaded:
            self.stdout.write(self.style.SUCCESS(f"Loaded criteria library {label}."))
        for label in report.frameworks_unchanged:
            self.stdout.write(f"Criteria library {label} is already loaded; nothing to do.")
        for kind, count in sorted(report.created.items()):
            self.stdout.write(f"  {count} {kind} rows created")
        for kind, count in sorted(report.updated.items()):
            self.stdout.write(f"  {count} {kind} rows updated")
        if not (report.created or report.updated or report.frameworks_loaded):
            self.stdout.write("The catalogue was already up to date.")
