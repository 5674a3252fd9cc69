"""The demo office, and the interface in French (default) and English."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.translation.template import templatize

from liaison.accounts.models import User
from liaison.partners.models import Partner
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"


class _Rollback(Exception):
    pass


def _snapshot() -> tuple[list[Any], list[Any]]:
    partners = list(Partner.objects.order_by("name").values_list("name", "status", "trust_level", "classification"))
    users = list(User.objects.order_by("username").values_list("username", "alias", "civil_last_name"))
    return partners, users


def test_demo_data_command_refuses_a_database_with_data_unless_asked(db, capsys) -> None:
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "officer.europe" in out and "liaison-demo" in out
    with pytest.raises(CommandError, match="empty"):
        call_command("demo_data")
    call_command("demo_data", "--if-empty")
    assert "officer.europe" in capsys.readouterr().out


def test_pages_are_french_by_default_and_english_on_request(cast: Cast) -> None:
    client = Client()
    login_as(client, cast.alice)
    french = client.get("/partners/").content.decode()
    assert 'lang="fr"' in french and "Services partenaires" in french
    client.post("/i18n/setlang/", {"language": "en", "next": "/partners/"})
    english = client.get("/partners/").content.decode()
    assert 'lang="en"' in english and "Partner services" in english


def test_the_french_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert len(catalogue.translated_entries()) > 100


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext extracts the strings; not on every machine")
def test_every_string_of_the_code_is_in_the_french_catalogue(tmp_path: Path) -> None:
    """Extract the strings again (as makemessages does) and check none is missing from the catalogue."""
    root = Path(settings.BASE_DIR).parent
    sources = [str(p.relative_to(root)) for p in sorted(root.glob("liaison/**/*.py")) if "/tests/" not in str(p)]
    templates = [str(p.relative_to(root)) for p in sorted(root.glob("liaison/**/*.html"))]
    pot = tmp_path / "extracted.pot"
    common = ["xgettext", "--from-code=UTF-8", "-o", str(pot), "--join-existing"]
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    keywords = ["--keyword=gettext_lazy", "--keyword=_lazy", "--keyword=gettext", "--keyword=_"]
    subprocess.run([*common, "-L", "Python", *keywords, *sources], cwd=root, check=True)
    for number, template in enumerate(templates):  # templates go through Django's templatize, like makemessages
        converted = tmp_path / f"template_{number}.py"
        converted.write_text(templatize((root / template).read_text(), origin=template))
        subprocess.run([*common, "-L", "Python", *keywords, str(converted)], cwd=root, check=True)
    known = {e.msgid for e in polib.pofile(str(CATALOGUE))}
    missing = sorted(e.msgid for e in polib.pofile(str(pot)) if e.msgid and e.msgid not in known)
    assert missing == [], "run `liaison makemessages -l fr` and translate"


def test_vocabularies_follow_the_reader_language(cast: Cast) -> None:
    client = Client()
    login_as(client, cast.alice)
    assert "Contre-espionnage" in client.get("/markings/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Counter-intelligence" in client.get("/markings/").content.decode()
