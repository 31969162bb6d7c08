"""Last-Modified of the read endpoints whose content follows the places' revisions."""

from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from foodcommons.opendata.changes import latest_change_time

# Reads whose content changes only with the places (the taxonomy and territories have their own cache rules).
PLACE_READS = ("/api/places", "/api/changes", "/ogc/collections/")


class LastModifiedMiddleware:
    """Give place reads a Last-Modified from the latest revision, for ConditionalGetMiddleware's 304s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not request.path.startswith(PLACE_READS):
            return response
        if request.path.startswith("/api/places/"):
            patch_vary_headers(response, ["Accept"])  # JSON or JSON-LD by content negotiation
        if not response.has_header("Last-Modified") and (latest := latest_change_time()):
            response["Last-Modified"] = http_date(latest.timestamp())
        return response
