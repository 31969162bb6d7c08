"""Pure rules of imports: matching records to places, provenance of values, origins of published values (no I/O)."""
