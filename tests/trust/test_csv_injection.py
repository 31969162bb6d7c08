"""CSV files people open in a spreadsheet never run a cell as a formula, and keep phones and numbers as they are."""

import csv
import io
import json

import pytest

from foodcommons.core.spreadsheet import safe_cell
from tests.conftest import compost


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|x!A0", "\t=1"])
def test_a_cell_a_spreadsheet_would_run_starts_with_a_quote(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["+32 2 244 75 11", "+3222447511", "-4.35", "50.85", "GASAP Josaphat", "", 12, None])
def test_phones_numbers_and_words_are_left_as_they_are(cell):
    assert safe_cell(cell) == cell


@pytest.mark.django_db
def test_a_place_named_like_a_formula_is_quoted_in_the_places_csv(api, client):
    response = api.post("/api/places", compost(name={"fr": '=HYPERLINK("http://evil.example","Compost")'}))
    assert response.status_code == 201, response.content
    place_id = json.loads(response.content)["id"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/places.csv").content.decode())))
    row = next(r for r in rows if r["id"] == place_id)
    assert [v for v in row.values() if "HYPERLINK" in v] == ["'=HYPERLINK(\"http://evil.example\",\"Compost\")"]
