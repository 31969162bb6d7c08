import gettext

import polib
import pytest

from foodcommons.web.messages import SOURCE_DIR, compile_messages
from foodcommons.web.models import MapPoint
from foodcommons.web.setup import prepare_web


def test_translations_compile_into_catalogs_gettext_reads(tmp_path):
    assert compile_messages(target=tmp_path) == 3
    with open(tmp_path / "fr" / "LC_MESSAGES" / "django.mo", "rb") as fr, open(tmp_path / "nl" / "LC_MESSAGES" / "django.mo", "rb") as nl:
        french, dutch = gettext.GNUTranslations(fr), gettext.GNUTranslations(nl)
    assert french.gettext("Open now") == "Ouvert maintenant" and dutch.gettext("Open now") == "Nu open"
    assert french.ngettext("%(counter)s place", "%(counter)s places", 2) == "%(counter)s lieux"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_interface_string_is_translated(language):
    catalog = polib.pofile(str(SOURCE_DIR / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalog.untranslated_entries() + catalog.fuzzy_entries()]
    assert not untranslated


def test_setup_builds_the_map_aggregates_of_places_never_counted(make_place):
    make_place()  # in a test transaction the after-commit signal does not run: nothing counted yet
    assert not MapPoint.objects.exists()
    prepare_web(log=lambda message: None)
    assert MapPoint.objects.count() == 1


def test_the_catalogs_django_reads_are_compiled_from_this_version_s_translations(settings):
    from pathlib import Path

    folder = Path(settings.LOCALE_PATHS[-1])
    assert folder.parent.name == "locale" and len(folder.name) == 16  # named after the .po content
    compile_messages()
    with open(folder / "fr" / "LC_MESSAGES" / "django.mo", "rb") as catalog:
        french = gettext.GNUTranslations(catalog)
    assert french.gettext("My account") == "Mon compte"


def test_a_process_start_compiles_nothing_and_setup_does(tmp_path):
    """Starting Django writes no catalog (several processes start at once); `compile_translations`, as setup, writes them."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "foodcommons.settings"}
    env.pop("FOODCOMMONS_LOCALE_DIR", None)
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.core import checks; print([m.id for m in checks.run_checks(include_deployment_checks=True)])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
    assert not (tmp_path / "locale").exists()
    assert "foodcommons.W001" in started.stdout  # the check says the pages would be in English
    compiled = subprocess.run([sys.executable, "-m", "django", "compile_translations"], env=env, capture_output=True, text=True, timeout=120)
    assert compiled.returncode == 0, compiled.stderr
    assert len(list((tmp_path / "locale").glob("*/*/LC_MESSAGES/django.mo"))) == 3
