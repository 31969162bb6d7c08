"""The `foodcommons` command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run `foodcommons COMMAND …` (serve, setup, token, load_territories, migrate, …)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodcommons.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["foodcommons", *(args or ["help"])])


if __name__ == "__main__":
    main()
