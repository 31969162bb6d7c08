"""The production recipe of docs/operations.md passes Django's deployment checks; every answer carries the security headers."""

import os
import re
import secrets
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def recipe_environment() -> dict[str, str]:
    """The variables the 'Deploying on PostgreSQL' recipe of docs/operations.md exports, with a fresh secret key."""
    text = (ROOT / "docs" / "operations.md").read_text()
    block = re.search(r"## Deploying on PostgreSQL\s+```sh\n(.*?)```", text, re.S).group(1)
    env = {}
    for line in block.splitlines():
        if not line.startswith("export "):
            continue
        body = line.removeprefix("export ")
        if "=$(" in body:  # the secret key, made by a command
            env[body.split("=", 1)[0]] = secrets.token_urlsafe(50)
            continue
        for word in shlex.split(body, comments=True):
            name, value = word.split("=", 1)
            env[name] = value
    return env


def test_the_documented_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    recipe = recipe_environment()
    assert {"FOODCOMMONS_SECRET_KEY", "FOODCOMMONS_ALLOWED_HOSTS", "FOODCOMMONS_HTTPS", "FOODCOMMONS_TRUSTED_PROXIES"} <= set(recipe)
    # The browser tests allow Django's ORM in Playwright's event loop for their own process; a deployment never does.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOODCOMMONS_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    env.update(recipe, FOODCOMMONS_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="foodcommons.settings")
    # The recipe's `foodcommons setup` compiles the translations before anything is served; its database steps need no check.
    subprocess.run([str(ROOT / ".venv" / "bin" / "django-admin"), "compile_translations"], env=env, check=True, capture_output=True, timeout=120)
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "django-admin"), "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_the_recipe_check_deploy_still_warns(tmp_path):
    # The browser tests allow Django's ORM in Playwright's event loop for their own process; a deployment never does.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOODCOMMONS_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    env.update(FOODCOMMONS_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="foodcommons.settings")
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "django-admin"), "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "security.W009" in result.stderr + result.stdout, "the development key is refused"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/directory", "/accounts/login", "/api/places", "/no/such/page"])
def test_every_answer_carries_a_strict_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_only_the_embeddable_map_may_be_framed_by_other_sites(client):
    embed = client.get("/embed")
    assert "frame-ancestors *" in embed["Content-Security-Policy"] and "X-Frame-Options" not in embed
    assert "frame-ancestors 'none'" in client.get("/widget")["Content-Security-Policy"]



@pytest.mark.django_db
def test_a_revalidated_embed_keeps_the_policy_that_lets_it_be_framed(client):
    first = client.get("/embed")
    again = client.get("/embed", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "Content-Security-Policy" not in again and "X-Frame-Options" not in again, "the cached answer's headers stay"
