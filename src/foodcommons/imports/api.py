"""API endpoints of sources and imports (mounted under /api/)."""

from ninja import Router

router = Router()
