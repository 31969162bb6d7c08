"""Pure rules about plain values any app may hold (opening hours, contacts): no I/O, no models."""
