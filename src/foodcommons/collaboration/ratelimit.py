"""Rate limits of anonymous and sensitive actions, counted in Django's cache."""

from django.conf import settings
from django.core.cache import cache

from foodcommons.core.problems import Problem, problem_type


def client_address(request) -> str:
    """Return the address a request came from (set REMOTE_ADDR from a trusted proxy in front)."""
    return request.META.get("REMOTE_ADDR", "unknown")


def count(*, scope: str, key: str) -> int:
    """Count one more attempt in `scope` for `key` and return the count within the window."""
    _, window = settings.FOODCOMMONS_RATE_LIMITS[scope]
    name = f"ratelimit:{scope}:{key}"
    cache.add(name, 0, timeout=window)
    try:
        return cache.incr(name)
    except ValueError:
        cache.set(name, 1, timeout=window)
        return 1


def is_blocked(*, scope: str, key: str) -> bool:
    """Tell whether `key` has used up its attempts in `scope`, without counting one more."""
    limit, _ = settings.FOODCOMMONS_RATE_LIMITS[scope]
    return (cache.get(f"ratelimit:{scope}:{key}") or 0) >= limit


def check(*, scope: str, key: str) -> None:
    """Count an attempt and raise 429 when `key` went over its limit in `scope`."""
    limit, window = settings.FOODCOMMONS_RATE_LIMITS[scope]
    if count(scope=scope, key=key) > limit:
        raise Problem(
            status=429, title="Too many requests", detail=f"At most {limit} per {window // 60} minutes; try again later.", kind=problem_type("rate-limited")
        )


def reset(*, scope: str, key: str) -> None:
    """Forget the attempts of `key` in `scope` (after a successful login)."""
    cache.delete(f"ratelimit:{scope}:{key}")
