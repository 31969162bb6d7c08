"""Pages of local supply (filled in step by step)."""
