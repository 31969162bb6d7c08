"""Pure rules of territories (no I/O)."""
