"""Creation and checking of API tokens."""

import hashlib
import secrets

from django.utils import timezone

from foodcommons.accounts.models import ApiToken

TOKEN_PREFIX = "fc_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user, name: str = "", can_write: bool = True) -> str:
    """Create a token for `user` and return it; only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=token[:10], digest=_digest(token), can_write=can_write)
    return token


def user_for_token(token: str):
    """Return (user, token record) for a valid, unrevoked token of an active user, or None."""
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user, record


def list_tokens(*, user) -> list[ApiToken]:
    """Return the tokens of `user`, newest first (revoked ones included)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def revoke_token(*, user, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens; another user's token is reported as not found."""
    from foodcommons.core.problems import NotFound

    record = ApiToken.objects.filter(user=user, pk=token_id).first()
    if record is None:
        raise NotFound(f"You have no token {token_id}.")
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
    return record
