"""`liaison compile-translations`: build the .mo catalogues from the .po files without GNU gettext, so a fresh
machine with only Python can run the product in French and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) with polib."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                catalogue = polib.pofile(str(po_path))
                untranslated = [e.msgid for e in catalogue.untranslated_entries()]
                if untranslated:
                    # The test suite fails on an incomplete catalogue; running the product still works.
                    self.stderr.write(f"warning: {po_path}: {len(untranslated)} untranslated strings")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"compiled {count} translation catalogue(s)")
