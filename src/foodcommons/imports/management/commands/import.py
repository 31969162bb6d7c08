import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify
from tqdm import tqdm

from foodcommons.core.problems import InvalidInput, Problem
from foodcommons.imports import selectors
from foodcommons.imports.connectors import FORMATS, limits
from foodcommons.imports.fetch import is_url, read_location
from foodcommons.imports.services import runs, sources


class Command(BaseCommand):
    help = "Import a file or URL into a source (registered on first use); --due re-imports the URL sources whose schedule has come."

    def add_arguments(self, parser):
        parser.add_argument("location", nargs="?", help="Path or http(s) URL of the data")
        parser.add_argument("--format", dest="file_format", choices=sorted(FORMATS), help="Format (detected from the content when omitted)")
        parser.add_argument("--source", help="Slug of the source (default: from the file name)")
        parser.add_argument("--licence", default="", help="SPDX licence of a new source")
        parser.add_argument("--attribution", default="", help="Attribution text of a new source")
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen, change nothing")
        parser.add_argument("--due", action="store_true", help="Re-import every URL source whose schedule has come")

    def handle(self, *args, location=None, file_format=None, source=None, licence="", attribution="", dry_run=False, due=False, **options):
        if due:
            self._run_due(dry_run)
            return
        if not location:
            raise CommandError("give a file or URL to import (or --due)")
        slug = slugify(source or location.rstrip("/").rsplit("/", 1)[-1].split(".")[0])[:64] or "import"
        found = sources.source_to_import(slug=slug, licence=licence, attribution=attribution, file_format=file_format or "", location=location)
        self._run(found, location, file_format or "", dry_run)

    def _run_due(self, dry_run: bool) -> None:
        # Unattended: a source that cannot be read, or lists far fewer records than last time, changes nothing and is
        # kept as a failed run saying why; the others still run, and the exit status tells cron that one needs a person.
        held = []
        for scheduled in selectors.due_sources():
            try:
                data = read_location(scheduled.location)
            except InvalidInput as refused:
                run = runs.record_unreachable_source(source=scheduled, location=scheduled.location, refused=refused)
                self.stdout.write(selectors.run_summary(run))
                held.append(scheduled.slug)
                continue
            try:
                self._run(scheduled, scheduled.location, scheduled.format, dry_run, data=data, unattended=True)
            except CommandError as stopped:
                self.stderr.write(f"{scheduled.slug}: {stopped}")
                held.append(scheduled.slug)
        if held:
            raise CommandError(f"not re-imported, a person should look: {', '.join(held)}")

    def _run(self, source, location: str, file_format: str, dry_run: bool, *, data: bytes | None = None, unattended: bool = False) -> None:
        bar = tqdm(unit="rec", leave=False, file=self.stderr._out)

        def progress(stage: str, done: int, total: int) -> None:
            if bar.desc != stage:
                bar.reset(total=total)
                bar.set_description_str(stage, refresh=False)
            bar.n = done
            if done == total or done % 500 == 0:
                bar.refresh()

        try:
            if not is_url(location) and os.path.isfile(location):
                limits.check_size(os.path.getsize(location), limits.configured())  # before the file is read
            run = runs.import_file(data=read_location(location) if data is None else data, source=source, file_format=file_format,
                                   location=location, dry_run=dry_run, progress=progress, unattended=unattended)
        except Problem as problem:
            raise CommandError(problem.detail) from problem
        finally:
            bar.close()
        self.stdout.write(selectors.run_summary(run))
