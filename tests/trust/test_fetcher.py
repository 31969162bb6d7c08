"""The one outbound fetcher (core.outbound) against real HTTP servers on loopback: refused addresses, redirects, limits.

The servers run on two loopback addresses: the "entry" on 127.0.0.2 (let through by the settings where a test needs it)
and the "target" on 127.0.0.1 (never allowed), so that a redirect from one to the other is checked like a first URL.
"""

import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from foodcommons.core import outbound
from foodcommons.core.problems import InvalidInput
from foodcommons.imports.fetch import read_location

ENTRY, TARGET = "127.0.0.2", "127.0.0.1"


class Server:
    """A loopback HTTP server that answers from a table of routes and records every request it gets."""

    def __init__(self, address: str, port: int = 0, tls: ssl.SSLContext | None = None):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.slow: dict[str, float] = {}
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append({"path": self.path, "host": self.headers.get("Host"), "agent": self.headers.get("User-Agent"),
                                        "authorization": self.headers.get("Authorization")})
                if self.path in server.slow:
                    return self._drip(server.slow[self.path])
                status, headers, body = server.routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    if value is not None:
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _drip(self, pause: float):
                self.send_response(200)
                self.end_headers()
                try:
                    for _ in range(20):
                        time.sleep(pause)
                        self.wfile.write(b"x")
                except OSError:
                    pass  # the client gave up, as it should

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((address, port), Handler)
        self.httpd.daemon_threads = True
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.url = f"{'https' if tls else 'http'}://{address}:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def route(self, path: str, status: int = 200, body: bytes = b"", **headers) -> str:
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        return self.url + path

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def entry():
    server = Server(ENTRY)
    yield server
    server.stop()


@pytest.fixture
def target():
    server = Server(TARGET)
    server.route("/secret", body=b"the server's own API")
    yield server
    server.stop()


@pytest.fixture
def entry_allowed(settings):
    """Let the entry server's address through; the target's (127.0.0.1) stays refused."""
    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = [f"{ENTRY}/32"]


@pytest.fixture(autouse=True)
def nothing_allowed(settings):
    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = []
    settings.FOODCOMMONS_FETCH_ALLOW_PRIVATE = False


def refusal(url: str, **options) -> str:
    with pytest.raises(outbound.FetchRefused) as refused:
        outbound.fetch(url, **options)
    message = str(refused.value)
    assert "\n" not in message, "one line"
    return message


# --- addresses --------------------------------------------------------------------------------------------------------

LOOPBACK_SPELLINGS = [
    "127.0.0.1", "127.1", "2130706433", "0177.0.0.1", "017700000001", "0x7f000001", "0x7f.1", "0x7F.0.0.1",
    "0", "0.0.0.0", "localhost", "LOCALHOST", "localhost.", "ⅼocalhost", "[::1]", "[0:0:0:0:0:0:0:1]", "[::]",
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]",
]


@pytest.mark.parametrize("spelling", LOOPBACK_SPELLINGS)
def test_every_spelling_of_the_server_s_own_address_is_refused_before_any_request(target, spelling):
    message = refusal(f"http://{spelling}:{target.port}/secret")
    assert "not a public address" in message or "unknown host" in message, message
    assert target.requests == []


def test_the_resolved_address_is_what_is_checked_and_named_in_the_refusal(target):
    assert refusal(f"http://2130706433:{target.port}/secret") == "the host '2130706433' is not a public address (127.0.0.1)"
    assert refusal(f"http://0x7f.1:{target.port}/secret") == "the host '0x7f.1' is not a public address (127.0.0.1)"


@pytest.mark.parametrize("address", [
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "127.0.0.1", "0.0.0.0", "224.0.0.1",
    "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.2.1", "198.18.0.1",
    "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
    "64:ff9b::a9fe:a9fe", "2002:c0a8:101::1", "2001:0:808:808:0:0:80ff:fffe",
])
def test_addresses_that_are_not_public_unicast_are_refused(address):
    assert not outbound.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_are_allowed(address):
    assert outbound.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(("url", "reason"), [
    ("file:///etc/passwd", "expected an http:// or https:// address, not 'file:'"),
    ("ftp://example.org/list.csv", "expected an http:// or https:// address, not 'ftp:'"),
    ("gopher://127.0.0.1:70/", "not 'gopher:'"),
    ("/etc/passwd", "expected an http:// or https:// address, not '/etc/passwd'"),
    ("http:///no-host", "the address has no host name"),
    ("http://user:secret@example.org/", "user name or password"),
    ("http://example.org:99999/", "not a valid address"),
    ("http://no-such-host.invalid/", "unknown host 'no-such-host.invalid'"),
])
def test_other_schemes_and_malformed_addresses_are_refused_in_one_line(url, reason):
    assert reason in refusal(url)


def test_an_allowed_network_lets_loopback_through(settings, target):
    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    answer = outbound.fetch(target.url + "/secret", headers={"User-Agent": "foodcommons-test"})
    assert answer == b"the server's own API"
    assert target.requests == [{"path": "/secret", "host": f"127.0.0.1:{target.port}", "agent": "foodcommons-test", "authorization": None}]


def test_allowing_every_private_address_is_an_explicit_choice_of_the_settings_or_the_caller(settings, target):
    url = target.url + "/secret"
    assert "not a public address" in refusal(url)
    assert outbound.fetch(url, allow_private=True) == b"the server's own API"
    settings.FOODCOMMONS_FETCH_ALLOW_PRIVATE = True
    assert outbound.fetch(url) == b"the server's own API"
    assert "not a public address" in refusal(url, allow_private=False)


def test_a_badly_written_allowed_network_is_a_configuration_error(settings, target):
    from django.core.exceptions import ImproperlyConfigured

    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="FOODCOMMONS_FETCH_ALLOWED_NETWORKS"):
        outbound.fetch(target.url + "/secret")


# --- redirects --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("location", [
    "http://127.0.0.1:{port}/secret", "http://localhost:{port}/secret", "http://2130706433:{port}/secret",
    "http://[::ffff:127.0.0.1]:{port}/secret", "http://0x7f.1:{port}/secret",
])
def test_a_redirect_to_the_server_s_own_address_is_refused_and_nothing_is_asked_of_it(entry, target, entry_allowed, location):
    url = entry.route("/list.csv", 302, Location=location.format(port=target.port))
    message = refusal(url)
    assert message.startswith("redirected to http://") and "not a public address" in message
    assert [r["path"] for r in entry.requests] == ["/list.csv"]
    assert target.requests == []


def test_a_redirect_to_another_port_of_a_refused_address_is_refused(entry, target, entry_allowed):
    other = Server(TARGET)
    try:
        other.route("/admin", body=b"another service")
        url = entry.route("/list.csv", 301, Location=f"http://127.0.0.1:{other.port}/admin")
        assert "not a public address (127.0.0.1)" in refusal(url)
        assert other.requests == []
    finally:
        other.stop()


def test_a_redirect_to_a_file_url_is_refused(entry, entry_allowed):
    url = entry.route("/list.csv", 307, Location="file:///etc/passwd")
    assert refusal(url) == "redirected to file:///etc/passwd: expected an http:// or https:// address, not 'file:'"


def test_an_allowed_redirect_is_followed_relative_locations_included(entry, target, settings):
    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    entry.route("/moved", 308, Location="/list.csv")
    entry.route("/list.csv", 302, Location=target.url + "/secret")
    answer = outbound.fetch(entry.url + "/moved", headers={"Authorization": "Bearer not-for-others"})
    assert answer == b"the server's own API"
    assert [r["path"] for r in entry.requests] == ["/moved", "/list.csv"]
    assert entry.requests[1]["authorization"] == "Bearer not-for-others"
    assert target.requests[0]["authorization"] is None, "credentials do not follow a redirect to another host"


def test_redirects_are_bounded(entry, entry_allowed):
    entry.route("/loop", 302, Location="/loop")
    assert refusal(entry.url + "/loop") == "more than 5 redirects"
    assert len(entry.requests) == 6


def test_an_error_status_is_said_in_one_line(entry, entry_allowed):
    assert refusal(entry.url + "/nothing") == "the server answered 404 Not Found"


# --- resolved once ----------------------------------------------------------------------------------------------------

def test_the_name_is_resolved_once_and_the_connection_goes_to_the_checked_address(entry, entry_allowed, monkeypatch):
    # A rebinding name: first an allowed address, then the server's own. A second look-up would reach the impostor,
    # which listens on 127.0.0.1 on the same port as the entry server.
    impostor = Server(TARGET, port=entry.port)
    entry.route("/list.csv", body=b"the real file")
    impostor.route("/list.csv", body=b"the server's own API")
    answers = iter([ENTRY])
    looked_up = []
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "data.rebind.test":
            looked_up.append(host)
            return real(next(answers, TARGET), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        answer = outbound.fetch(f"http://data.rebind.test:{entry.port}/list.csv")
    finally:
        impostor.stop()
    assert answer == b"the real file"
    assert looked_up == ["data.rebind.test"]
    assert entry.requests[0]["host"] == f"data.rebind.test:{entry.port}", "the Host header keeps the name"
    assert impostor.requests == []


# --- limits -----------------------------------------------------------------------------------------------------------

def test_a_body_over_the_size_limit_is_refused_whether_declared_or_not(entry, entry_allowed):
    limits = outbound.Limits(max_bytes=1000)
    declared = entry.route("/big", body=b"x" * 5000)
    undeclared = entry.route("/streamed", body=b"x" * 200_000, Content_Length=None, Connection="close")
    assert refusal(declared, limits=limits) == "the file is larger than 1000 bytes"
    assert refusal(undeclared, limits=limits) == "the file is larger than 1000 bytes"
    assert outbound.fetch(entry.route("/small", body=b"x" * 1000), limits=limits) == b"x" * 1000


def test_a_server_that_stops_sending_or_drips_is_given_up(entry, entry_allowed):
    entry.slow["/drip"] = 0.1
    assert f"{ENTRY} stopped sending for 0.05 seconds" == refusal(entry.url + "/drip", limits=outbound.Limits(read_seconds=0.05))
    entry.requests.clear()
    message = refusal(entry.url + "/drip", limits=outbound.Limits(read_seconds=5, total_seconds=0.5))
    assert message == f"reading from {ENTRY} took longer than the time limit"


def test_a_closed_port_is_a_clear_error(entry_allowed):
    with socket.socket() as probe:
        probe.bind((ENTRY, 0))
        port = probe.getsockname()[1]
    assert refusal(f"http://{ENTRY}:{port}/") == f"cannot connect to {ENTRY}: Connection refused"


# --- TLS: the certificate is checked for the name, though the connection goes to an address ----------------------------

def _certificates(folder, name: str) -> tuple[str, str, str]:
    """Make a certificate authority and a server certificate for `name` signed by it; return the CA, cert and key files."""
    run = lambda *args: subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={name}")
    (folder / "ext.cnf").write_text(f"subjectAltName=DNS:{name}\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
        "-days", "2", "-extfile", "ext.cnf")
    return str(folder / "ca.pem"), str(folder / "server.pem"), str(folder / "server.key")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_checks_the_certificate_for_the_name_while_connecting_to_the_checked_address(tmp_path, settings, monkeypatch):
    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = [f"{ENTRY}/32"]
    ca, cert, key = _certificates(tmp_path, "data.example.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names_seen = []
    context.sni_callback = lambda sock, name, ctx: names_seen.append(name)
    server = Server(ENTRY, tls=context)
    server.route("/list.csv", body=b"over TLS")
    real = socket.getaddrinfo

    def test_names(host, port, *args, **kwargs):
        return real(ENTRY if host.endswith(".example.test") else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", test_names)
    try:
        answer = outbound.fetch(f"https://data.example.test:{server.port}/list.csv", ca_certs=ca)
        wrong_name = refusal(f"https://other.example.test:{server.port}/list.csv", ca_certs=ca)
        unknown_authority = refusal(f"https://data.example.test:{server.port}/list.csv")
    finally:
        server.stop()
    assert answer == b"over TLS" and "data.example.test" in names_seen
    assert wrong_name == "other.example.test: the secure connection failed (hostname 'other.example.test' doesn't match 'data.example.test')"
    assert unknown_authority == "data.example.test: the secure connection failed (certificate verify failed: unable to get local issuer certificate)"
    assert [r["path"] for r in server.requests] == ["/list.csv"], "no request was sent over a connection that failed its check"


# --- every caller goes through it -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_import_command_refuses_a_loopback_url_and_asks_nothing_of_it(target):
    with pytest.raises(CommandError, match=r"the host '127.0.0.1' is not a public address"):
        call_command("import", target.url + "/secret", "--format", "csv", "--source", "own", "--dry-run")
    with pytest.raises(InvalidInput):
        read_location(f"http://0x7f.1:{target.port}/secret")
    assert target.requests == []


@pytest.mark.django_db
def test_scheduled_re_imports_check_every_redirect(entry, target, entry_allowed):
    from foodcommons.imports.models import Source
    from foodcommons.imports.services.sources import register_source

    url = entry.route("/list.csv", 302, Location=target.url + "/secret")
    register_source(slug="scheduled", licence="CC0-1.0", attribution="x", file_format="csv", location=url)
    Source.objects.filter(slug="scheduled").update(schedule_hours=24)
    with pytest.raises(CommandError, match="scheduled"):
        call_command("import", "--due")
    held = Source.objects.get(slug="scheduled").runs.get()
    assert held.status == "failed" and re.search(r"redirected to http://127\.0\.0\.1", held.errors[0]["reason"])
    assert [r["path"] for r in entry.requests] == ["/list.csv"] and target.requests == []


@pytest.mark.django_db
def test_a_web_import_by_url_checks_its_redirects(client, django_user_model, entry, target, entry_allowed):
    from foodcommons.collaboration.models import Membership, Organisation

    network = Organisation.objects.create(slug="network", name="Network")
    user = django_user_model.objects.create_user("eddie")
    Membership.objects.create(organisation=network, user=user, role="editor")
    client.force_login(user)
    url = entry.route("/list.csv", 302, Location=f"http://[::ffff:127.0.0.1]:{target.port}/secret")
    form = {"source": "", "new_name": "List", "new_licence": "CC0-1.0", "new_attribution": "", "new_organisation": "network",
            "format": "", "field_mapping": "", "default_category": "", "url": url}
    response = client.post("/imports/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "is not a public address" in response.content.decode()
    assert target.requests == []


@pytest.mark.django_db
def test_a_mirror_of_an_origin_on_a_private_address_is_refused(target):
    from foodcommons.opendata.mirror import MirrorError, run_mirror

    with pytest.raises(MirrorError, match=r"^cannot read http://127.0.0.1:\d+/api/dumps/latest: the host '127.0.0.1' is not a public"):
        run_mirror(url=target.url)
    assert target.requests == []
