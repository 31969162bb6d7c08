"""IP networks that settings name (trusted reverse proxies, networks outbound requests may reach)."""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks_setting(name: str) -> list[Network]:
    """Return the networks a list setting names ("10.0.0.0/8", "192.0.2.1"), or raise ImproperlyConfigured naming it."""
    try:
        return [ipaddress.ip_network(n.strip(), strict=False) for n in getattr(settings, name) if n.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None
