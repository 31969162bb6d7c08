"""When an unattended re-import is not taken as the truth: a source that suddenly lists far fewer records than last time."""

# Under this share of the records its last run listed, a scheduled re-import stops before changing anything: a list that
# shrinks by more than 30 % at once is far more often a broken export, a filter left on or a half-written file than a
# network closing a third of its places overnight. A person confirms by importing it by hand.
MIN_SHARE_OF_LAST_RUN = 0.7


def shrank_too_much(*, listed: int, last_listed: int | None, min_share: float = MIN_SHARE_OF_LAST_RUN) -> bool:
    """Tell whether a list of `listed` records is too short to trust after a last run that listed `last_listed`."""
    if not last_listed:
        return False  # a first run has nothing to compare with
    return listed < min_share * last_listed
