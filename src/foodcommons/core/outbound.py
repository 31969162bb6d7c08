"""The one way out: every request the platform makes to another server (imports by URL, mirrors, webhooks) goes here.

A URL given by a person must not make the server read its own network (server-side request forgery). So:
- only http and https are fetched;
- the host name is resolved once, every address it gives is checked (a name with one private address is refused
  whole), and the connection is made to that checked address, never to the name again (no DNS rebinding between
  the check and the fetch); the Host header, TLS SNI and the certificate check keep the name;
- addresses that are not public (loopback, private, link-local, unique-local, shared, multicast, reserved,
  unspecified, and IPv6 forms that embed one of those: IPv4-mapped, NAT64, 6to4, Teredo) are refused, however the
  URL spells them: the OS resolver reads the spelling (2130706433, 0x7f.1, 0177.0.0.1, 0, ::ffff:127.0.0.1 …) and the
  address it returns is what is checked and what is connected to;
- every redirect is checked like the first URL, and there are at most MAX_REDIRECTS of them;
- the body is streamed up to a size limit, with limits on the time to connect, between reads and in all.
Networks listed in FOODCOMMONS_FETCH_ALLOWED_NETWORKS are let through (a data portal on an internal network, the
tests' loopback servers); FOODCOMMONS_FETCH_ALLOW_PRIVATE (or allow_private=True, `mirror --allow-private`) lets every
address through, for a closed network one trusts. urllib3 does the HTTP and TLS.
"""

import contextlib
import ipaddress
import socket
import time
import urllib.parse
from dataclasses import dataclass, replace

import urllib3
from django.conf import settings

from foodcommons.core.networks import Network, networks_setting

USER_AGENT = "foodcommons (+https://github.com/foodcommons)"
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
# IPv6 ranges that carry an IPv4 address, which is checked in its turn.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Headers that must not follow a redirect to another host.
PRIVATE_HEADERS = {"authorization", "cookie", "proxy-authorization"}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """A URL that was refused or could not be read; the message is one line saying why."""


class StatusRefused(FetchRefused):
    """The server answered with an error status."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"the server answered {status} {reason}".strip())
        self.status = status


@dataclass(frozen=True)
class Limits:
    """How much a fetch may read and how long it may take; what is left out comes from the settings (FOODCOMMONS_FETCH_*)."""

    max_bytes: int | None = None
    connect_seconds: float | None = None
    read_seconds: float | None = None
    total_seconds: float | None = None
    max_redirects: int = MAX_REDIRECTS

    def resolved(self) -> "Limits":
        """Return these limits with every one left out taken from the settings."""
        return replace(
            self,
            max_bytes=self.max_bytes if self.max_bytes is not None else settings.FOODCOMMONS_FETCH_MAX_BYTES,
            connect_seconds=self.connect_seconds if self.connect_seconds is not None else settings.FOODCOMMONS_FETCH_CONNECT_TIMEOUT,
            read_seconds=self.read_seconds if self.read_seconds is not None else settings.FOODCOMMONS_FETCH_READ_TIMEOUT,
            total_seconds=self.total_seconds if self.total_seconds is not None else settings.FOODCOMMONS_FETCH_TOTAL_TIMEOUT,
        )


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as sent in the Host header, TLS SNI and the certificate check (IDNA-encoded)
    port: int
    path: str  # path and query

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == DEFAULT_PORTS[self.scheme] else f"{name}:{self.port}"


def fetch(url: str, *, headers: dict[str, str] | None = None, limits: Limits | None = None, allow_private: bool | None = None,
          ca_certs: str | None = None) -> bytes:
    """GET `url` on a public address (following checked redirects) and return its body, or raise FetchRefused saying why not."""
    limits = (limits or Limits()).resolved()
    allow_private = allow_private_default() if allow_private is None else allow_private
    deadline = time.monotonic() + limits.total_seconds
    headers = dict(headers or {})
    current = url
    for hop in range(limits.max_redirects + 1):
        try:
            target = parse(current)
            addresses = resolve(target.host, target.port, allow_private=allow_private)
        except FetchRefused as refused:
            raise FetchRefused(f"redirected to {current}: {refused}" if hop else str(refused)) from None
        with _open(target, addresses, headers, limits, deadline, ca_certs) as response:
            location = response.headers.get("Location")
            if response.status >= 400 and response.status not in REDIRECTS:
                raise StatusRefused(response.status, response.reason or "")
            if response.status not in REDIRECTS or not location:
                return _read(response, target, limits, deadline)
            following = urllib.parse.urljoin(current, location.strip())
        if urllib.parse.urlsplit(following).hostname != urllib.parse.urlsplit(current).hostname:
            headers = {k: v for k, v in headers.items() if k.lower() not in PRIVATE_HEADERS}
        current = following
    raise FetchRefused(f"more than {limits.max_redirects} redirects")


def parse(url: str) -> _Target:
    """Split an http(s) URL into what a request needs, or raise FetchRefused."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchRefused(f"not a valid address: {error}") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise FetchRefused(f"expected an http:// or https:// address, not '{parts.scheme + ':' if parts.scheme else url}'")
    if not parts.hostname:
        raise FetchRefused("the address has no host name")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("addresses with a user name or password are not supported")
    try:
        host = parts.hostname if ":" in parts.hostname else parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused(f"unknown host '{parts.hostname}'") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme], path)


def resolve(host: str, port: int, *, allow_private: bool = False) -> list[Address]:
    """Resolve a host name once and return its addresses, or raise FetchRefused if it has none or one is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchRefused(f"unknown host '{host}'") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
    refused = [] if allow_private else [a for a in addresses if not is_allowed(a)]
    if refused:
        raise FetchRefused(f"the host '{host}' is not a public address ({refused[0]})")
    return addresses


def is_allowed(address: Address) -> bool:
    """Tell whether an address may be fetched: public, or in one of the allowed networks of the settings."""
    return is_public(address) or any(address in network for network in allowed_networks())


def is_public(address: Address | str) -> bool:
    """Tell whether an address is a public unicast one, looking inside IPv6 forms that embed an IPv4 address."""
    if isinstance(address, str):
        address = ipaddress.ip_address(address.split("%")[0])
    if address.version == 6:
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
        or address.is_reserved or address.is_unspecified
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    return None


def allow_private_default() -> bool:
    """Tell whether this instance may fetch from any private address (FOODCOMMONS_FETCH_ALLOW_PRIVATE, off by default)."""
    return bool(getattr(settings, "FOODCOMMONS_FETCH_ALLOW_PRIVATE", False))


def allowed_networks() -> list[Network]:
    """Return the networks the settings let through although they are not public."""
    return networks_setting("FOODCOMMONS_FETCH_ALLOWED_NETWORKS")


@contextlib.contextmanager
def _open(target: _Target, addresses: list[Address], headers: dict, limits: Limits, deadline: float, ca_certs: str | None):
    # Each checked address in turn until one accepts the connection; the request never names the host to the resolver again.
    headers = {"User-Agent": USER_AGENT, **headers, "Host": target.host_header}
    failure = ""
    for address in addresses:
        remaining = _remaining(deadline, target)
        timeout = urllib3.Timeout(connect=min(limits.connect_seconds, remaining), read=min(limits.read_seconds, remaining))
        pool = _pool(target, str(address), timeout, ca_certs)
        try:
            response = pool.urlopen("GET", target.path, headers=headers, redirect=False, retries=False,
                                    preload_content=False, assert_same_host=False)
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as error:
            pool.close()
            failure = _reason(error)
            continue
        except urllib3.exceptions.SSLError as error:
            pool.close()
            raise FetchRefused(f"{target.host}: the secure connection failed ({_reason(error)})") from None
        except urllib3.exceptions.ReadTimeoutError:
            pool.close()
            raise FetchRefused(f"{target.host} did not answer within {timeout.read_timeout:g} seconds") from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            pool.close()
            raise FetchRefused(f"cannot read from {target.host}: {_reason(error)}") from None
        try:
            yield response
        finally:
            response.release_conn()
            pool.close()
        return
    raise FetchRefused(f"cannot connect to {target.host}: {failure}")


def _pool(target: _Target, address: str, timeout: urllib3.Timeout, ca_certs: str | None):
    if target.scheme == "http":
        return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, maxsize=1, retries=False)
    return urllib3.HTTPSConnectionPool(
        address, target.port, timeout=timeout, maxsize=1, retries=False, cert_reqs="CERT_REQUIRED", ca_certs=ca_certs,
        server_hostname=target.host, assert_hostname=target.host,
    )


def _read(response, target: _Target, limits: Limits, deadline: float) -> bytes:
    too_large = FetchRefused(f"the file is larger than {_size(limits.max_bytes)}")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_large
    body = bytearray()
    try:
        for chunk in response.stream(CHUNK_BYTES, decode_content=True):
            body += chunk
            if len(body) > limits.max_bytes:
                raise too_large
            _remaining(deadline, target)
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchRefused(f"{target.host} stopped sending for {limits.read_seconds:g} seconds") from None
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise FetchRefused(f"cannot read from {target.host}: {_reason(error)}") from None
    return bytes(body)


def _remaining(deadline: float, target: _Target) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchRefused(f"reading from {target.host} took longer than the time limit")
    return remaining


def _reason(error: Exception) -> str:
    # urllib3 wraps the OS error; its last line names the cause ("Connection refused") without the pool's internals.
    cause = error
    while cause.__context__ is not None and isinstance(cause, urllib3.exceptions.HTTPError):
        cause = cause.__context__
    if getattr(cause, "verify_message", None):
        return f"certificate verify failed: {cause.verify_message}"
    text = getattr(cause, "strerror", None) or getattr(cause, "reason", None) or str(cause)
    return " ".join(str(text).split()) or type(error).__name__


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"
