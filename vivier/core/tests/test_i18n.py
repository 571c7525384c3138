"""French by default, every catalogue entry translated, English on request."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

BASE = Path(settings.BASE_DIR)
# The project catalogue, plus one per app that keeps its own (vivier/<app>/locale/).
PO_FILES = [
    BASE / "locale" / "fr" / "LC_MESSAGES" / "django.po",
    *sorted(BASE.glob("vivier/*/locale/fr/LC_MESSAGES/django.po")),
]


def _untranslated_entries(text: str) -> list[str]:
    """msgids of the catalogue with an empty French translation (any plural form)."""
    missing = []
    for block in text.split("\n\n")[1:]:  # the first block is the header
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith('"'):
                fields[key] += line.strip()[1:-1]
            else:
                key, _space, value = line.partition(" ")
                fields[key] = value.strip()[1:-1]
        strings = [value for name, value in fields.items() if name.startswith("msgstr")]
        if not strings or not all(strings):
            missing.append(fields.get("msgid", block))
    return missing


def test_every_french_entry_is_translated():
    missing = {
        str(po.relative_to(BASE)): _untranslated_entries(po.read_text(encoding="utf-8"))
        for po in PO_FILES
    }
    assert {name: entries for name, entries in missing.items() if entries} == {}


def test_every_catalogue_is_compiled():
    assert [
        str(po.relative_to(BASE)) for po in PO_FILES if not po.with_suffix(".mo").exists()
    ] == []


def test_french_is_the_default_and_compiled():
    assert settings.LANGUAGE_CODE == "fr"
    with translation.override("fr"):
        assert translation.gettext("Directory") == "Annuaire"
    with translation.override("en"):
        assert translation.gettext("Directory") == "Directory"


def test_pages_are_in_french_by_default(client_for, alice):
    page = client_for(alice).get("/people/").content.decode()
    assert "Annuaire" in page and "Directory" not in page
