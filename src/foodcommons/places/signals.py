"""Signals other areas listen to, so that places need not know about them."""

from django.dispatch import Signal

# Sent after the transaction that changed places commits, with `place_ids` (internal ids).
places_changed = Signal()

# Sent inside the transaction of each single write of a place (not of bulk loads), with `place`, `state` (after it),
# `action`, `author` and `comment`: what listeners record must commit or roll back with the write itself.
place_written = Signal()
