"""Middleware that protects the site before any view runs (body size, NUL characters, trusted proxies, CSP) and compresses JSON."""

import gzip
import io
import ipaddress
import json
import secrets

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

from foodcommons.core.networks import Network, networks_setting
from foodcommons.core.problems import FieldError, InvalidInput, Problem, problem_type


def problem_response(problem: Problem) -> HttpResponse:
    """Render a problem as an `application/problem+json` response."""
    response = HttpResponse(
        json.dumps(problem.as_dict(), ensure_ascii=False),
        status=problem.status,
        content_type="application/problem+json",
    )
    if "retry_after" in problem.extra:
        response["Retry-After"] = str(problem.extra["retry_after"])
    return response


class BodySizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than the configured limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.FOODCOMMONS_MAX_BODY_BYTES
        if length > limit and request.path.startswith("/api/"):
            return problem_response(
                Problem(
                    status=413,
                    title="Request body too large",
                    detail=f"The body has {length} bytes; the limit is {limit}.",
                    kind=problem_type("body-too-large"),
                )
            )
        return self.get_response(request)


def nul_location(value, where: str = "body") -> str | None:
    """Return the name of the first string (or key) in a parsed JSON value that holds a NUL character, or None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = where if "\x00" in key else nul_location(item, key if where == "body" else f"{where}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := nul_location(item, f"{where}[{index}]"):
                return found
    return None


class NulCharacterMiddleware:
    """Answer 400 to an API or OGC request with a NUL character in its path, query or body.

    No text of the platform may hold one (PostgreSQL refuses them outright, so they would end in a 500
    there and in stored garbage on SQLite); refusing at the edge names the field once for every endpoint.
    """

    PREFIXES = ("/api/", "/ogc")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.PREFIXES) and (field := self.nul_field(request)):
            return problem_response(
                InvalidInput([FieldError(field, "contains a NUL character (U+0000), which no text may hold")])
            )
        return self.get_response(request)

    @staticmethod
    def nul_field(request) -> str | None:
        if "\x00" in request.path:
            return "path"
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "\\u0000")
        try:
            body = request.body if request.method not in ("GET", "HEAD") else b""
        except RequestDataTooBig:
            return None  # the API answers it with its 413
        # Only JSON can spell a NUL as \u0000; a raw NUL byte is not JSON (the parser says so) or belongs to a binary upload.
        if b"\\u0000" in body:
            try:
                return nul_location(json.loads(body))
            except ValueError:
                return None  # not JSON: the endpoint says what is wrong with it
        return None


def trusted_proxies() -> list[Network]:
    """Return the networks of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed."""
    return networks_setting("FOODCOMMONS_TRUSTED_PROXIES")


def _is_trusted(address: str, proxies: list) -> bool:
    try:
        return any(ipaddress.ip_address(address.strip()) in network for network in proxies)
    except ValueError:
        return False


def forwarded_client(peer: str, forwarded_for: str, proxies: list) -> str:
    """Return the client's address: the peer, or, behind trusted proxies, the last address of X-Forwarded-For that is not one of them."""
    if not _is_trusted(peer, proxies):
        return peer
    # Each proxy appends the address it received from; only the entries added by trusted proxies can be believed,
    # so read from the right and stop at the first address that is not a trusted proxy.
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


class TrustedProxyMiddleware:
    """Believe X-Forwarded-For and X-Forwarded-Proto only from FOODCOMMONS_TRUSTED_PROXIES; drop them from anyone else.

    REMOTE_ADDR becomes the client's address (rate limits count it), and request.is_secure() reads
    X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) only when a trusted proxy sent it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        peer, proxies = request.META.get("REMOTE_ADDR", ""), trusted_proxies()
        if proxies and _is_trusted(peer, proxies):
            request.META["REMOTE_ADDR"] = forwarded_client(peer, request.META.get("HTTP_X_FORWARDED_FOR", ""), proxies)
        else:
            for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT"):
                request.META.pop(header, None)
        return self.get_response(request)


def content_security_policy(*, frame_ancestors: str = "'none'") -> str:
    """Return the Content-Security-Policy header of the pages: own scripts and styles only, no inline code."""
    directives = {**settings.FOODCOMMONS_CSP, "frame-ancestors": [frame_ancestors]}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy on every answer; a page that may be framed elsewhere (the embed) allows any parent."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()
        self.embeddable = content_security_policy(frame_ancestors="*")

    def __call__(self, request):
        response = self.get_response(request)
        # A 304 leaves the policy out: the browser keeps the one of the answer it revalidates (ConditionalGetMiddleware
        # builds the 304 anew, without the embed's mark, and a 'none' here would then forbid a cached embed).
        if response.status_code != 304 and "Content-Security-Policy" not in response:
            # The embed view is marked by Django's @xframe_options_exempt; its CSP follows the same choice.
            response["Content-Security-Policy"] = self.embeddable if getattr(response, "xframe_options_exempt", False) else self.policy
        return response


# Answers worth compressing: JSON and GeoJSON (pages of places run to hundreds of kB) and CSV exports, from about one packet.
COMPRESSED_TYPES = ("application/json", "application/geo+json", "application/ld+json", "application/schema+json",
                    "application/vnd.oai.openapi+json", "application/problem+json", "text/csv")
COMPRESS_MIN_BYTES = 1400
# zlib level 4: within a few per cent of level 6's size on JSON, at about twice its speed.
COMPRESS_LEVEL = 4


def gzip_bytes(content: bytes) -> bytes:
    """Gzip `content`; a random file name of 0 to 100 bytes varies the length of equal bodies (BREACH, as Django's GZipMiddleware)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=secrets.token_hex(secrets.randbelow(51)), mode="wb", compresslevel=COMPRESS_LEVEL, fileobj=buffer, mtime=0) as out:
        out.write(content)
    return buffer.getvalue()


class CompressJsonMiddleware:
    """Gzip large JSON, GeoJSON and CSV answers for clients that accept it, with Vary: Accept-Encoding and a weak ETag."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if response.streaming or kind not in COMPRESSED_TYPES or response.has_header("Content-Encoding") or len(response.content) < COMPRESS_MIN_BYTES:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        response.content = gzip_bytes(response.content)
        response["Content-Length"] = str(len(response.content))
        response["Content-Encoding"] = "gzip"
        # The bytes differ from the identity answer's: a strong ETag becomes weak (RFC 9110 8.8.1); If-None-Match compares weakly.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        return response
