"""Signals other areas listen to, so that places need not know about them."""

from django.dispatch import Signal

# Sent after the transaction that changed places commits, with `place_ids` (internal ids).
places_changed = Signal()
