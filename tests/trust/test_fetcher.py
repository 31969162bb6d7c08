"""The one safe fetcher: public addresses only, at every hop, resolved once, bounded; tested against real loopback servers."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from foodcommons.core import outbound
from foodcommons.core.outbound import FetchRefused, Limits, fetch


class Server:
    """A loopback HTTP server on one address that answers from a table of paths and records what it was asked."""

    def __init__(self, host: str, routes: dict):
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                status, headers, body = routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def inner():
    """The server's own network: a secret on 127.0.0.2 that no fetch may reach."""
    server = Server("127.0.0.2", {"/secret": (200, {}, b"the admin's secret")})
    yield server
    server.close()


@pytest.fixture
def public(monkeypatch, inner):
    """A "public" server on 127.0.0.1 (only that address counts as public here), redirecting in every way a fetch may be led astray."""
    port = inner.port
    routes = {
        "/data.csv": (200, {}, b"id;name\n1;GASAP\n"),
        "/to-inner": (302, {"Location": f"http://127.0.0.2:{port}/secret"}, b""),
        "/to-inner-decimal": (301, {"Location": f"http://2130706434:{port}/secret"}, b""),
        "/to-inner-mapped": (307, {"Location": f"http://[::ffff:127.0.0.2]:{port}/secret"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/to-self": (302, {"Location": "/data.csv"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/big": (200, {}, b"x" * 5000),
    }
    server = Server("127.0.0.1", routes)
    monkeypatch.setattr(outbound, "is_public", lambda address: address == "127.0.0.1")
    yield server
    server.close()


def test_a_public_address_is_read_and_a_relative_redirect_followed(public):
    assert fetch(f"http://127.0.0.1:{public.port}/to-self", allow_private=False) == b"id;name\n1;GASAP\n"


@pytest.mark.parametrize("path", ["/to-inner", "/to-inner-decimal", "/to-inner-mapped"])
def test_a_redirect_to_the_server_s_own_network_is_refused_and_never_reaches_it(public, inner, path):
    with pytest.raises(FetchRefused, match="is not a public address"):
        fetch(f"http://127.0.0.1:{public.port}{path}", allow_private=False)
    assert inner.requests == []


def test_a_redirect_to_a_file_is_refused(public):
    with pytest.raises(FetchRefused, match="expected an http:// or https:// address"):
        fetch(f"http://127.0.0.1:{public.port}/to-file", allow_private=False)


def test_redirects_are_bounded(public):
    with pytest.raises(FetchRefused, match="more than 3 redirects"):
        fetch(f"http://127.0.0.1:{public.port}/loop", allow_private=False, limits=Limits(max_redirects=3))


def test_a_file_over_the_size_limit_is_refused(public):
    with pytest.raises(FetchRefused, match="larger than 4000 bytes"):
        fetch(f"http://127.0.0.1:{public.port}/big", allow_private=False, limits=Limits(max_bytes=4000))


def test_the_name_is_resolved_once_so_it_cannot_be_rebound_to_an_inner_address(public, inner, monkeypatch):
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "127.0.0.2", "127.0.0.2"])

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert fetch(f"http://rebind.test:{public.port}/data.csv", allow_private=False) == b"id;name\n1;GASAP\n"
    assert inner.requests == [] and public.requests == ["/data.csv"]


@pytest.mark.parametrize("host", [
    "127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0", "0.0.0.0", "localhost", "localhost.",
    "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "[fd00::1]", "[fe80::1]", "224.0.0.1", "[ff02::1]", "255.255.255.255", "198.18.0.1",
])
def test_private_loopback_link_local_and_multicast_addresses_are_refused_in_every_spelling(host):
    with pytest.raises(FetchRefused, match="not a public address|unknown host"):
        fetch(f"http://{host}:9/", allow_private=False)


def test_only_http_and_https_are_read():
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:70/", "http:///nohost"):
        with pytest.raises(FetchRefused, match="expected an http:// or https:// address"):
            fetch(url, allow_private=False)


def test_allowing_private_addresses_is_an_explicit_choice(inner, settings):
    url = f"http://127.0.0.2:{inner.port}/secret"
    settings.FOODCOMMONS_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchRefused):
        fetch(url)
    settings.FOODCOMMONS_FETCH_ALLOW_PRIVATE = True
    assert fetch(url) == b"the admin's secret"


@pytest.mark.django_db
def test_the_cli_import_and_the_web_import_refuse_a_redirect_inward(public, inner):
    from foodcommons.core.problems import InvalidInput
    from foodcommons.imports.fetch import read_location
    from foodcommons.imports.jobs import fetch_url

    for read in (read_location, lambda url: fetch_url(url=url)):
        with pytest.raises(InvalidInput, match="not a public address"):
            read(f"http://127.0.0.1:{public.port}/to-inner")
    assert inner.requests == []
