"""Rate limits of anonymous and sensitive actions, counted in Django's cache in fixed windows."""

import math
import time

from django.conf import settings
from django.core.cache import cache

from foodcommons.core.problems import Problem, problem_type


def client_address(request) -> str:
    """Return the address a request came from (core.middleware.TrustedProxyMiddleware sets it from a trusted proxy)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _name(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}"


def count(*, scope: str, key: str) -> int:
    """Count one more attempt in `scope` for `key` and return the count within the window."""
    _, window = settings.FOODCOMMONS_RATE_LIMITS[scope]
    name, now = _name(scope, key), time.time()
    # The window starts with the first attempt and its end is kept beside the count, so that a refusal can say when
    # to come back (Retry-After) and the count expires at that end whatever the cache backend's incr() does to expiry.
    cache.add(f"{name}:until", now + window, timeout=window)
    until = cache.get(f"{name}:until") or now + window
    cache.add(name, 0, timeout=window)
    try:
        attempts = cache.incr(name)
    except ValueError:
        cache.set(name, 1, timeout=window)
        attempts = 1
    cache.touch(name, timeout=max(1, math.ceil(until - now)))
    return attempts


def retry_after(*, scope: str, key: str) -> int:
    """Return in how many seconds `key` may try again in `scope` (0: now), without counting an attempt."""
    limit, window = settings.FOODCOMMONS_RATE_LIMITS[scope]
    name = _name(scope, key)
    if (cache.get(name) or 0) < limit:
        return 0
    until = cache.get(f"{name}:until") or time.time() + window
    return max(1, math.ceil(until - time.time()))


def check(*, scope: str, key: str) -> None:
    """Count an attempt and raise 429 when `key` went over its limit in `scope`."""
    limit, window = settings.FOODCOMMONS_RATE_LIMITS[scope]
    if count(scope=scope, key=key) > limit:
        raise Problem(
            status=429, title="Too many requests", detail=f"At most {limit} per {window // 60} minutes; try again later.", kind=problem_type("rate-limited")
        )


def reset(*, scope: str, key: str) -> None:
    """Forget the attempts of `key` in `scope` (after a successful login)."""
    cache.delete_many([_name(scope, key), f"{_name(scope, key)}:until"])
