"""Every FOODCOMMONS_* setting or environment variable the source reads is documented in docs/operations.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
READS = [
    r"settings\.(FOODCOMMONS_\w+)",  # settings.FOODCOMMONS_X
    r"getattr\(\s*settings\s*,\s*[\"'](\w+)[\"']",  # getattr(settings, "X", default): settings hidden from settings.py
    r"os\.environ(?:\.get)?\s*[(\[]\s*[\"'](\w+)[\"']",  # os.environ["X"], os.environ.get("X")
    r"os\.getenv\(\s*[\"'](\w+)[\"']",
    r"[\"'](FOODCOMMONS_[A-Z0-9_]+)[\"']",  # a name passed around, e.g. networks_setting("FOODCOMMONS_…")
]
# Read from the environment but not ours to document: Django's own, and the ones tests and tools set for the process.
NOT_OURS = {"DJANGO_SETTINGS_MODULE"}


def names_read(text: str) -> set[str]:
    """Return the settings and environment variables a source text reads."""
    return {match for pattern in READS for match in re.findall(pattern, text)}


def test_the_scan_finds_every_way_of_reading_a_setting():
    sample = '''x = settings.FOODCOMMONS_A; getattr(settings, "FOODCOMMONS_B", 1); os.environ.get("FOODCOMMONS_C")
    os.environ["DATABASE_URL"]; os.getenv("FOODCOMMONS_D"); networks_setting("FOODCOMMONS_E")'''
    assert names_read(sample) == {"FOODCOMMONS_A", "FOODCOMMONS_B", "FOODCOMMONS_C", "DATABASE_URL", "FOODCOMMONS_D", "FOODCOMMONS_E"}


def test_every_setting_read_in_the_source_is_documented_in_operations():
    documented = OPERATIONS.read_text(encoding="utf-8")
    read = {name: path for path in (ROOT / "src").rglob("*.py") for name in names_read(path.read_text(encoding="utf-8"))}
    missing = sorted(f"{name} ({read[name].relative_to(ROOT)})" for name in set(read) - NOT_OURS if f"`{name}`" not in documented)
    assert not missing, "document these in docs/operations.md (meaning, default, example): " + ", ".join(missing)
