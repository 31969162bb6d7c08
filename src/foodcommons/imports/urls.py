"""Pages of sources and imports (included at the site root)."""

urlpatterns: list = []
