"""A scheduled re-import cannot wipe a network out: an unreadable or suddenly much shorter list changes nothing."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from foodcommons.imports.domain.guard import shrank_too_much
from foodcommons.imports.models import ImportRun, Source, SourceRecord
from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db

HEADER = "id;name;type;street;number;postcode;city;lat;lon\n"


def rows(n: int, start: int = 1) -> str:
    return "".join(f"{i};GASAP {i};gasap;Rue Josaphat;{i};1030;Schaerbeek;{50.86 + i / 10000:.4f};4.3780\n" for i in range(start, start + n))


class Lists:
    """A loopback web server answering each path with the list set for it (404 for the others)."""

    def __init__(self):
        self.bodies: dict[str, bytes] = {}
        bodies = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = bodies.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/csv")
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def lists(settings):
    settings.FOODCOMMONS_FETCH_ALLOW_PRIVATE = True
    server = Lists()
    yield server
    server.httpd.shutdown()


def scheduled(lists: Lists, slug: str, body: str) -> Source:
    lists.bodies[f"/{slug}.csv"] = (HEADER + body).encode()
    return Source.objects.create(slug=slug, name=slug, licence="CC0-1.0", attribution=slug, format="csv",
                                 location=lists.url(f"/{slug}.csv"), schedule_hours=24)


def due_again(*sources: Source) -> None:
    Source.objects.filter(pk__in=[s.pk for s in sources]).update(last_run_at=None)


def test_a_list_under_seventy_percent_of_the_last_run_is_not_taken_as_the_truth(lists):
    network = scheduled(lists, "gasaps", rows(10))
    call_command("import", due=True)
    lists.bodies["/gasaps.csv"] = (HEADER + rows(6)).encode()
    due_again(network)
    with pytest.raises(CommandError, match="gasaps"):
        call_command("import", due=True)
    held = ImportRun.objects.filter(source=network).first()
    assert held.status == ImportRun.Status.FAILED
    assert "now lists 6 records, under 70 % of the 10 of its last run" in held.errors[0]["reason"]
    assert not SourceRecord.objects.filter(missing_since__isnull=False).exists(), "nothing is flagged gone meanwhile"
    assert Place.objects.count() == 10


def test_a_person_importing_the_shorter_list_by_hand_accepts_it(lists):
    network = scheduled(lists, "gasaps", rows(10))
    call_command("import", due=True)
    lists.bodies["/gasaps.csv"] = (HEADER + rows(6)).encode()
    call_command("import", network.location, source="gasaps")
    assert SourceRecord.objects.filter(missing_since__isnull=False).count() == 4


def test_a_list_that_shrank_a_little_is_re_imported_and_flags_what_it_no_longer_lists(lists):
    network = scheduled(lists, "gasaps", rows(10))
    call_command("import", due=True)
    lists.bodies["/gasaps.csv"] = (HEADER + rows(8)).encode()
    due_again(network)
    call_command("import", due=True)
    assert ImportRun.objects.filter(source=network).first().status == ImportRun.Status.DONE
    assert SourceRecord.objects.filter(missing_since__isnull=False).count() == 2


def test_a_source_that_answers_with_an_error_changes_nothing_and_the_others_still_run(lists):
    broken = scheduled(lists, "broken", rows(5))
    working = scheduled(lists, "working", rows(3, start=100))
    call_command("import", due=True)
    del lists.bodies["/broken.csv"]
    lists.bodies["/working.csv"] = (HEADER + rows(4, start=100)).encode()
    due_again(broken, working)
    with pytest.raises(CommandError, match="broken"):
        call_command("import", due=True)
    failed = ImportRun.objects.filter(source=broken).first()
    assert failed.status == ImportRun.Status.FAILED and "the server answered 404" in failed.errors[0]["reason"]
    assert not SourceRecord.objects.filter(source=broken, missing_since__isnull=False).exists()
    assert ImportRun.objects.filter(source=working).first().counts["created"] == 1


@pytest.mark.parametrize(("listed", "last", "too_few"), [(69, 100, True), (70, 100, False), (1, None, False), (0, 0, False), (0, 3, True)])
def test_the_guard_compares_with_the_last_run(listed, last, too_few):
    assert shrank_too_much(listed=listed, last_listed=last) is too_few
