"""Errors that carry their HTTP status and become RFC 9457 problem documents."""

from dataclasses import dataclass, field


@dataclass
class FieldError:
    """One reason why one field of an input was refused."""

    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"field": self.field, "reason": self.reason}


@dataclass
class Problem(Exception):
    """A failure that the client caused or must know about, with its HTTP status."""

    status: int
    title: str
    detail: str = ""
    kind: str = "about:blank"
    errors: list[FieldError] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        body = {"type": self.kind, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        body.update(self.extra)
        return body


def problem_type(slug: str) -> str:
    """Return the documented type URI of a problem kind (relative to the API root)."""
    return f"/api/problems/{slug}"


class InvalidInput(Problem):
    """400: one or more fields of the input are invalid."""

    def __init__(self, errors: list[FieldError], detail: str = ""):
        super().__init__(
            status=400,
            title="Invalid input",
            detail=detail or "; ".join(f"{e.field}: {e.reason}" for e in errors),
            kind=problem_type("invalid-input"),
            errors=errors,
        )


class NotFound(Problem):
    """404: the named resource does not exist."""

    def __init__(self, detail: str):
        super().__init__(status=404, title="Not found", detail=detail, kind=problem_type("not-found"))


class Gone(Problem):
    """410: the resource existed and was deleted."""

    def __init__(self, detail: str, extra: dict | None = None):
        super().__init__(status=410, title="Gone", detail=detail, kind=problem_type("gone"), extra=extra or {})


class VersionConflict(Problem):
    """409: the write was based on a version that is no longer the current one."""

    def __init__(self, detail: str, current: dict):
        super().__init__(
            status=409,
            title="Version conflict",
            detail=detail,
            kind=problem_type("version-conflict"),
            extra={"current": current},
        )


BUSY_RETRY_SECONDS = 2
_LOCK_MESSAGES = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock", "deadlock detected")


def is_lock_wait(error: Exception) -> bool:
    """Tell whether a database error means another write held the lock too long (worth retrying), not a bug."""
    text = str(error).lower()
    return any(message in text for message in _LOCK_MESSAGES)


class DatabaseBusy(Problem):
    """503: the database stayed locked by other writes longer than a write may wait; the client should retry."""

    def __init__(self):
        super().__init__(
            status=503, title="Busy", detail=f"Other changes are being written; try again in {BUSY_RETRY_SECONDS} seconds.",
            kind=problem_type("busy"), extra={"retry_after": BUSY_RETRY_SECONDS},
        )
