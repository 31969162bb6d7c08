"""Connectors: stateless adapters that read the bytes of a source into ImportedRecords (no database access)."""

from foodcommons.imports.connectors.base import ImportedRecord, SourceMapping
from foodcommons.imports.connectors.registry import FORMATS, detect_format, read_records

__all__ = ["FORMATS", "ImportedRecord", "SourceMapping", "detect_format", "read_records"]
