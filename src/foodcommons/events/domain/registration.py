"""Where a registration goes: a seat, the waiting list or the organisers' approval. Pure."""

from dataclasses import dataclass

CONFIRMED, WAITLISTED, PENDING = "confirmed", "waitlisted", "pending"


@dataclass(frozen=True)
class Seats:
    """An event's capacity (None: unlimited) and the seats taken by confirmed registrations."""

    capacity: int | None
    taken: int

    @property
    def left(self) -> int | None:
        """Return the seats left, None when there is no limit."""
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        """Tell whether no seat is left."""
        return self.capacity is not None and self.taken >= self.capacity


def placement(seats: Seats, *, requires_approval: bool, approved: bool = False) -> str:
    """Return the status of a registration that is confirmed by its e-mail (or made signed in)."""
    if requires_approval and not approved:
        return PENDING
    return WAITLISTED if seats.full else CONFIRMED


def promotions(seats: Seats, waiting: int) -> int:
    """Return how many people of the waiting list get a seat now."""
    if seats.capacity is None:
        return waiting
    return min(waiting, max(seats.capacity - seats.taken, 0))


def clean_answers(questions: list[str], answers: list[str]) -> list[dict[str, str]]:
    """Pair each question with its answer (trimmed, at most 1000 characters)."""
    padded = list(answers) + [""] * (len(questions) - len(answers))
    return [{"question": q, "answer": (a or "").strip()[:1000]} for q, a in zip(questions, padded, strict=False)]
