"""The active offers' columns kept by each process: checked against the offers' version token, read again after any write."""

from datetime import date

import pytest
from django.db import connection, transaction

from foodcommons.supply import offer_columns, selectors
from tests.supply.conftest import make_demand, make_offer


def _ranked(demand) -> list[str]:
    return [m.offer.id for _line, matches in selectors.demand_rankings(demand) for m in matches]


@pytest.mark.django_db
def test_an_offer_published_through_the_services_is_ranked_at_once(farm, grower, school):
    first = make_offer(farm, grower)
    demand = make_demand(school)
    assert _ranked(demand) == [first.public_id]
    kept = offer_columns.active_offers()
    second = make_offer(farm, grower, volume=500)
    assert offer_columns.version_token() != kept.token
    assert set(_ranked(demand)) == {first.public_id, second.public_id}
    assert offer_columns.active_offers() is offer_columns.active_offers()  # unchanged token: the same columns, not read again


@pytest.mark.django_db
def test_every_kind_of_write_to_the_offers_changes_the_version_token(farm, grower):
    # The triggers exist after all the migrations (SQLite drops a table's triggers when a migration rebuilds it).
    from foodcommons.supply.models import Offer

    offer = make_offer(farm, grower)
    tokens = [offer_columns.version_token()]
    Offer.objects.filter(pk=offer.pk).update(active=False)  # a queryset update: no signal, no service
    tokens.append(offer_columns.version_token())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE supply_offer SET volume = volume + 1")
    tokens.append(offer_columns.version_token())
    Offer.objects.all().delete()
    tokens.append(offer_columns.version_token())
    assert None not in tokens and len(set(tokens)) == len(tokens)


@pytest.mark.django_db
def test_a_deactivated_offer_leaves_the_ranking_and_the_columns(farm, grower, school):
    from foodcommons.supply.models import Offer

    offer = make_offer(farm, grower)
    demand = make_demand(school)
    assert _ranked(demand) == [offer.public_id] and len(offer_columns.active_offers()) == 1
    Offer.objects.filter(pk=offer.pk).update(active=False)
    assert _ranked(demand) == [] and len(offer_columns.active_offers()) == 0


@pytest.mark.django_db
def test_the_columns_say_which_offers_deliver_to_a_commune_and_when_a_certificate_expires(farm, grower):
    offer = make_offer(farm, grower, delivery_communes=["92094", "92142"], organic=True, organic_certifier="Certisys",
                       organic_expires=date(2031, 6, 30))
    columns = offer_columns.active_offers()
    [row] = columns.serving("92142").tolist()
    assert columns.public_ids[row] == offer.public_id and columns.serving("21004").tolist() == []
    assert columns.organic_until[row] == date(2031, 6, 30).toordinal()


@pytest.mark.django_db
def test_an_offer_changed_by_plain_sql_as_another_process_would_is_read_again(farm, grower, school):
    # Another process runs none of this process's code: only the token in the database tells that the copy is stale.
    offer = make_offer(farm, grower)
    demand = make_demand(school)
    assert _ranked(demand) == [offer.public_id]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE supply_offer SET active = %s WHERE id = %s", [False, offer.pk])
    assert _ranked(demand) == []


@pytest.mark.django_db
def test_a_rolled_back_write_does_not_leave_its_offers_in_the_columns(farm, grower, school):
    # The token is random, not a counter: after a rollback, a later write cannot reuse the token of the offers read inside it.
    from foodcommons.supply.models import Offer

    offer = make_offer(farm, grower)
    demand = make_demand(school)
    seen_inside = []
    try:
        with transaction.atomic():
            Offer.objects.filter(pk=offer.pk).update(active=False)
            seen_inside = _ranked(demand)  # read inside the transaction that is rolled back
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert seen_inside == []
    make_offer(farm, grower, product="apples")  # another write: a new token, never the one seen inside the rollback
    assert _ranked(demand) == [offer.public_id]
