"""Registration numbers of producers and buyers: check digits (python-stdnum), checked by whom and when, shown in words and in the API."""

from datetime import date, timedelta

import pytest

from foodcommons.supply.domain import validation
from tests.supply.conftest import person

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("number", "reason"), [
    ("BE 0403.170.701", None),          # a real BCE number: 04031707 mod 97 = 96, 97 − 96 = 01
    ("0403170701", None),
    ("BE 0403.170.702", validation.VAT_CHECK),
    ("BE 2403.170.701", validation.VAT_FORMAT),  # 2… is an establishment unit, not an enterprise
    ("BE 403.170.70", validation.VAT_FORMAT),
    ("", validation.NUMBER_REQUIRED),
])
def test_a_vat_number_is_checked_by_its_check_digits(number, reason):
    errors = validation.registration_errors({"kind": "vat", "number": number}, today=TODAY)
    assert [e.reason for e in errors] == ([reason] if reason else [])


def test_an_afsca_number_is_an_enterprise_or_establishment_number_whose_digits_match():
    assert validation.registration_errors({"kind": "afsca", "number": "2.012.345.667"}, today=TODAY) == []  # 20123456 mod 97 = 30, 97 − 30 = 67
    assert validation.registration_errors({"kind": "afsca", "number": "0403170701"}, today=TODAY) == []
    [error] = validation.registration_errors({"kind": "afsca", "number": "2012345668"}, today=TODAY)
    assert (error.field, error.reason) == ("number", validation.AFSCA_CHECK)


def test_an_organic_certificate_names_its_certifier_and_has_not_expired():
    assert validation.registration_errors({"kind": "organic", "number": "BE-BIO-01/123", "certifier": "Certisys",
                                           "expires": TODAY + timedelta(days=30)}, today=TODAY) == []
    errors = validation.registration_errors({"kind": "organic", "number": "BE-BIO-01/123", "expires": TODAY - timedelta(days=1)}, today=TODAY)
    assert {(e.field, e.reason) for e in errors} == {("certifier", validation.CERTIFIER_REQUIRED), ("expires", validation.EXPIRED)}


def test_a_number_is_stored_unchecked_then_checked_by_a_moderator_and_unchecked_when_it_changes(school, django_user_model):
    from foodcommons.collaboration.services import Forbidden
    from foodcommons.supply.services import check_registration, register_number

    organisation, cook = school
    stored = register_number(organisation=organisation, kind="vat", number="BE 0403.170.701", author=cook)
    assert (stored.number, stored.checked) == ("0403170701", False)
    with pytest.raises(Forbidden):
        check_registration(organisation=organisation, kind="vat", author=cook)  # an editor does not vouch for their own number
    moderator = person(django_user_model, "modeste", organisation, role="moderator")
    checked = check_registration(organisation=organisation, kind="vat", author=moderator)
    assert (checked.checked, checked.checked_by, organisation.buyer.__class__.objects.get(organisation=organisation).vat_checked) == (True, moderator, True)
    register_number(organisation=organisation, kind="vat", number="BE 0403.170.701", author=cook)
    assert organisation.registrations.get(kind="vat").checked  # the same number again stays checked
    changed = register_number(organisation=organisation, kind="vat", number="0202.239.951", author=cook)
    assert (changed.number, changed.checked, changed.checked_by) == ("0202239951", False, None)


def test_the_api_shows_each_number_checked_or_not_and_never_an_afsca_number(school, api):
    from foodcommons.supply.services import register_number

    organisation, cook = school
    register_number(organisation=organisation, kind="vat", number="BE 0403.170.701", author=cook)
    register_number(organisation=organisation, kind="afsca", number="2012345667", author=cook)
    body = api.get(f"/api/supply/organisations/{organisation.slug}/registrations").json()
    assert [(r["kind"], r["number"], r["checked"]) for r in body] == [("afsca", None, False), ("vat", "0403170701", False)]
    assert "2012345667" not in str(body)


def test_the_page_refuses_a_wrong_number_in_dutch_and_shows_who_checked(school, client, django_user_model):
    organisation, cook = school
    client.force_login(cook)
    refused = client.post("/supply/registrations", {"organisation": organisation.pk, "kind": "vat", "number": "BE 0403.170.702"},
                          HTTP_ACCEPT_LANGUAGE="nl")
    assert refused.status_code == 400
    assert "De controlecijfers van dit btw-/KBO-nummer kloppen niet" in refused.content.decode()
    client.post("/supply/registrations", {"organisation": organisation.pk, "kind": "vat", "number": "BE 0403.170.701"})
    page = client.get("/supply/registrations", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "BE 0403.170.701" in page and "niet gecontroleerd" in page and "Als gecontroleerd markeren" not in page
    moderator = person(django_user_model, "modeste", organisation, role="moderator")
    client.force_login(moderator)
    client.post("/supply/registrations", {"organisation": organisation.pk, "check": "vat"})
    checked = client.get("/supply/registrations", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "vérifié par modeste le" in checked
