"""The migration that links each source to the organisation keeping it (Source.organisation was that organisation's slug)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("imports", "0005_import_job"), ("collaboration", "0001_initial")]
AFTER = [("imports", "0006_source_organisation_link")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_source_s_organisation_slug_becomes_a_link_and_an_unknown_one_is_kept_aside():
    old = _migrate(BEFORE)
    network = old.get_model("collaboration", "Organisation").objects.create(slug="gasap-network", name="Réseau des GASAP")
    Source = old.get_model("imports", "Source")
    Source.objects.create(slug="gasaps", name="GASAPs", licence="CC0-1.0", attribution="x", organisation="gasap-network")
    Source.objects.create(slug="lost", name="Lost", licence="CC0-1.0", attribution="x", organisation="gone-network")
    Source.objects.create(slug="staff", name="Staff", licence="CC0-1.0", attribution="x", organisation="")

    new = _migrate(AFTER).get_model("imports", "Source").objects
    assert new.get(slug="gasaps").organisation_id == network.pk and new.get(slug="gasaps").unmatched_organisation == ""
    assert new.get(slug="lost").organisation_id is None and new.get(slug="lost").unmatched_organisation == "gone-network"
    assert new.get(slug="staff").organisation_id is None and new.get(slug="staff").unmatched_organisation == ""


@pytest.mark.django_db(transaction=True)
def test_going_back_turns_each_link_into_the_slug_again():
    _migrate(AFTER)
    from foodcommons.collaboration.models import Organisation
    from foodcommons.imports.models import Source

    Source.objects.create(slug="gasaps", name="GASAPs", licence="CC0-1.0", attribution="x",
                          organisation=Organisation.objects.create(slug="gasap-network", name="Réseau des GASAP"))
    old = _migrate(BEFORE).get_model("imports", "Source").objects
    assert old.get(slug="gasaps").organisation == "gasap-network"
    _migrate(AFTER)
