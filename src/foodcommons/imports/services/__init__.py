"""Writes of imports, one module per concern: sources, runs (and the importer a run uses), publishing claims, review."""
