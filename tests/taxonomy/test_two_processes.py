"""Two `foodcommons serve` processes on one database: a category added through one is known at once by the other."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.opendata.live import Instance, free_port

SUPERUSER = "from django.contrib.auth import get_user_model; get_user_model().objects.create_superuser('root', 'root@example.org', 'a long admin password')"


class Peer(Instance):
    """A second server process on the database and data folder of `first`."""

    def __init__(self, first: Instance):
        self.dir, self.env, self.pg_name, self.process = first.dir, first.env, None, None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    first = Instance(tmp_path_factory.mktemp("peers"), "a").start()
    second = Peer(first)
    try:
        second.start()
        yield first, second
    finally:
        second.stop()
        first.stop()


def status(server: Instance, path: str) -> int:
    try:
        with urllib.request.urlopen(server.url + path, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


class AdminSession:
    """A browser-like session (cookies, CSRF tokens) on the admin of one server."""

    def __init__(self, server: Instance):
        self.server, self.jar = server, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def form(self, path: str, fields: dict) -> str:
        page = self.opener.open(self.server.url + path, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(urllib.request.Request(self.server.url + path, data=body), timeout=30) as answer:
            return answer.geturl()


def test_a_category_added_in_the_admin_of_one_process_is_used_by_the_other_at_once(servers):
    first, second = servers
    assert first.command("shell", "-c", SUPERUSER).returncode == 0
    # The second process has its tree in memory, without the new category.
    assert status(second, "/api/places?category=community-garden") == 200
    assert status(second, "/api/places?category=seed-library") == 400
    admin = AdminSession(first)
    admin.form("/admin/login/?next=/admin/", {"username": "root", "password": "a long admin password", "next": "/admin/"})
    landed = admin.form("/admin/taxonomy/category/add/", {
        "slug": "seed-library", "parent": "", "label_fr": "Grainothèque", "label_nl": "Zadenbibliotheek", "label_en": "Seed library",
        "description_fr": "", "description_nl": "", "description_en": "", "color": "", "position": "0",
        "attributes-TOTAL_FORMS": "0", "attributes-INITIAL_FORMS": "0", "attributes-MIN_NUM_FORMS": "0", "attributes-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    })
    assert landed.endswith("/admin/taxonomy/category/"), landed  # saved: back to the list
    assert status(second, "/api/places?category=seed-library") == 200  # no restart, no wait
    assert status(first, "/api/places?category=seed-library") == 200
