"""The WSGI entry point used by `foodcommons serve` and by production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodcommons.settings")
application = get_wsgi_application()

from foodcommons.platform.process import settle_server_process  # noqa: E402  (needs Django set up)

settle_server_process()
