"""The URL map: the web pages, the JSON API and the admin."""

from django.contrib import admin
from django.urls import include, path

from foodcommons.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("foodcommons.opendata.urls")),
    path("", include("foodcommons.collaboration.urls")),
    path("", include("foodcommons.imports.urls")),
    path("", include("foodcommons.subscriptions.urls")),
    path("", include("foodcommons.events.urls")),
    path("", include("foodcommons.supply.urls")),
    path("", include("foodcommons.relations.urls")),
    path("", include("foodcommons.knowledge.urls")),
    path("", include("foodcommons.web.urls")),
]

# Http404, PermissionDenied and SuspiciousOperation raised outside a Problem get the same page as problems do.
handler404 = "foodcommons.web.problem_pages.page_not_found"
handler403 = "foodcommons.web.problem_pages.permission_denied"
handler400 = "foodcommons.web.problem_pages.bad_request"
