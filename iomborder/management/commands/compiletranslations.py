import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile locale/*/LC_MESSAGES/*.po into .mo files in pure Python (no GNU gettext needed). "
        "With --check, fail if a translation is missing or fuzzy instead of compiling."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report untranslated or fuzzy strings and fail.")

    def handle(self, *args, check=False, **options):
        problems = []
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalog = polib.pofile(str(po_path))
                plurals = int(re.search(r"nplurals=(\d+)", catalog.metadata.get("Plural-Forms", "nplurals=2")).group(1))
                untranslated = [entry.msgid for entry in catalog.untranslated_entries()] + [
                    # A plural form left out falls back to English for the counts that need it.
                    entry.msgid
                    for entry in catalog.translated_entries()
                    if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(plurals))
                ]
                fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
                if untranslated or fuzzy:
                    problems.append(f"{po_path}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy")
                    for msgid in (untranslated + fuzzy)[:10]:
                        problems.append(f"    {msgid!r}")
                if not check:
                    mo_path = po_path.with_suffix(".mo")
                    if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                        catalog.save_as_mofile(str(mo_path))
                        self.stdout.write(f"Compiled {mo_path}")
        if check and problems:
            raise CommandError("Translations are incomplete:\n" + "\n".join(problems))
        for line in problems:
            self.stderr.write(line)
