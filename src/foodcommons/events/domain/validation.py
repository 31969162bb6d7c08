"""Checks of an event's fields before it is stored. Pure."""

from datetime import datetime

from foodcommons.core.problems import FieldError

LANGUAGES = ("fr", "nl", "en")


def event_errors(data: dict) -> list[FieldError]:
    """Return the problems of an event's fields (titles, times, location, capacity, questions)."""
    errors = []
    if not any((data.get(f"title_{lang}") or "").strip() for lang in LANGUAGES):
        errors.append(FieldError("title", "a title in French, Dutch or English is required"))
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, datetime) or starts.tzinfo is None:
        errors.append(FieldError("starts_at", "a start time with its time zone is required"))
    if not isinstance(ends, datetime) or ends.tzinfo is None:
        errors.append(FieldError("ends_at", "an end time with its time zone is required"))
    elif isinstance(starts, datetime) and starts.tzinfo is not None and ends < starts:
        errors.append(FieldError("ends_at", "the end comes before the start"))
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        errors.append(FieldError("capacity", "the capacity is a whole number of at least 1, or empty"))
    questions = data.get("questions") or []
    if len(questions) > 10 or any(not isinstance(q, str) or len(q) > 300 for q in questions):
        errors.append(FieldError("questions", "at most 10 questions of at most 300 characters"))
    for i, session in enumerate(data.get("sessions") or []):
        if not any((session.get(f"title_{lang}") or "").strip() for lang in LANGUAGES):
            errors.append(FieldError(f"sessions[{i}].title", "each session needs a title"))
        s_start, s_end = session.get("starts_at"), session.get("ends_at")
        if not isinstance(s_start, datetime) or s_start.tzinfo is None:
            errors.append(FieldError(f"sessions[{i}].starts_at", "a start time with its time zone is required"))
        elif isinstance(s_end, datetime) and s_end < s_start:
            errors.append(FieldError(f"sessions[{i}].ends_at", "the end comes before the start"))
    return errors
