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


def _forget_loaded_catalogs() -> None:
    # A catalog read before its .mo existed (by an app loaded earlier) stays cached without our strings.
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
