"""Every outbound HTTP request of the platform (imports by URL, scheduled re-imports, mirrors): one safe fetcher.

The host is resolved once and the connection is made to the address that was checked, so a name cannot
point elsewhere between the check and the request (DNS rebinding); every redirect is checked the same way;
loopback, private, link-local, unique-local, multicast, reserved and IPv4-mapped addresses are refused,
whatever their spelling, because the operating system's resolver turns the spelling into the address that is
checked. Size and time are bounded. urllib3 does the HTTP and TLS (certificates are checked for the name).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

USER_AGENT = "foodcommons (+https://github.com/foodcommons)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024


class FetchRefused(Exception):
    """An address that may not be read, or could not be: the message says why in one line."""


@dataclass(frozen=True)
class Limits:
    """How much and how long one fetch may take."""

    max_bytes: int = 512 * 1024 * 1024
    connect_seconds: float = 10
    read_seconds: float = 60
    total_seconds: float = 300
    max_redirects: int = 5


def is_public(address: str) -> bool:
    """Tell whether an IP address is a public unicast one (IPv4-mapped IPv6 judged as the IPv4 it maps)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def allow_private_default() -> bool:
    """Tell whether this instance may fetch from private addresses (FOODCOMMONS_FETCH_ALLOW_PRIVATE, off by default)."""
    return bool(getattr(settings, "FOODCOMMONS_FETCH_ALLOW_PRIVATE", False))


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """Return the one address to connect to for `host`, refusing a host any of whose addresses is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchRefused(f"unknown host '{host}'") from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchRefused(f"unknown host '{host}'")
    if not allow_private and not all(is_public(a) for a in addresses):
        raise FetchRefused(f"the host '{host}' is not a public address")
    return addresses[0]


def fetch(url: str, *, limits: Limits | None = None, headers: dict | None = None, allow_private: bool | None = None) -> bytes:
    """Return the body of an http(s) URL, following checked redirects, or raise FetchRefused saying why not."""
    limits = limits or Limits()
    allow = allow_private_default() if allow_private is None else allow_private
    deadline = time.monotonic() + limits.total_seconds
    for _hop in range(limits.max_redirects + 1):
        response = _request(url, limits=limits, headers=headers or {}, allow_private=allow)
        if response.status in REDIRECTS and response.headers.get("Location"):
            response.release_conn()
            url = urljoin(url, response.headers["Location"])
            continue
        try:
            if response.status >= 400:
                raise FetchRefused(f"the server answered {response.status} {response.reason or ''}".strip())
            return _read_bounded(response, limits=limits, deadline=deadline)
        finally:
            response.release_conn()
    raise FetchRefused(f"more than {limits.max_redirects} redirects")


def _request(url: str, *, limits: Limits, headers: dict, allow_private: bool):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused("expected an http:// or https:// address")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchRefused(f"not a valid address: {error}") from error
    address = resolve(parts.hostname, port, allow_private=allow_private)
    timeout = urllib3.Timeout(connect=limits.connect_seconds, read=limits.read_seconds)
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(address, port, server_hostname=parts.hostname, assert_hostname=parts.hostname,
                                           cert_reqs="CERT_REQUIRED", timeout=timeout, retries=False)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {"User-Agent": USER_AGENT, **headers, "Host": parts.netloc.rsplit("@", 1)[-1]}
    try:
        return pool.urlopen("GET", path, headers=sent, redirect=False, preload_content=False, retries=False)
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused(f"cannot read {parts.scheme}://{parts.netloc}: {_reason(error)}") from error


def _read_bounded(response, *, limits: Limits, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchRefused(f"the file is larger than {_megabytes(limits.max_bytes)}")
    chunks, size = [], 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchRefused(f"the file is larger than {_megabytes(limits.max_bytes)}")
            if time.monotonic() > deadline:
                raise FetchRefused(f"reading took longer than {limits.total_seconds:.0f} s")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused(f"the transfer broke: {_reason(error)}") from error
    return b"".join(chunks)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _reason(error: Exception) -> str:
    return str(getattr(error, "reason", None) or error).splitlines()[0][:200]
