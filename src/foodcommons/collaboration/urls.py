"""Pages and non-API endpoints of this area (included at the site root)."""

urlpatterns: list = []
