"""Compiling the translations (.po, committed) into the .mo files Django reads (generated, never committed)."""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings

SOURCE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_messages(*, source: Path = SOURCE_DIR, target: Path | None = None) -> int:
    """Compile every django.po under `source` into `target`; return how many were written."""
    target = Path(target or settings.LOCALE_PATHS[-1])
    written = 0
    for po_path in sorted(source.glob("*/LC_MESSAGES/django.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside then rename, so a reader (or a parallel test run) never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        os.close(handle)
        polib.pofile(str(po_path)).save_as_mofile(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo_path)
        written += 1
    _forget_loaded_catalogs()
    return written


def catalogs_missing(*, source: Path = SOURCE_DIR, target: Path | None = None) -> list[str]:
    """Return the languages whose compiled catalog of this version of the translations is not there yet."""
    target = Path(target or settings.LOCALE_PATHS[-1])
    return [po.parent.parent.name for po in sorted(source.glob("*/LC_MESSAGES/django.po")) if not (target / po.relative_to(source).with_suffix(".mo")).exists()]


def missing_catalogs_check(app_configs=None, **kwargs) -> list:
    """System check: warn when the pages would show untranslated strings because setup has not compiled the catalogs."""
    from django.core.checks import Warning

    missing = catalogs_missing()
    if not missing:
        return []
    return [Warning(f"The translations ({', '.join(missing)}) are not compiled for this version: pages would be in English.",
                    hint="Run `foodcommons setup` (or `foodcommons compile_translations`) once after installing or upgrading.",
                    id="foodcommons.W001")]


def _forget_loaded_catalogs() -> None:
    # A catalog read before its .mo existed (by setup's own earlier steps, in the process `serve` goes on serving
    # from) stays cached without our strings. Only setup compiles, so only setup resets this private cache.
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
