import pytest

from foodcommons.taxonomy.attributes import AttributeSpec, clean_attributes

SPECS = {
    "public": AttributeSpec("public", "boolean"),
    "plots": AttributeSpec("plots", "integer", minimum=0),
    "surface": AttributeSpec("surface", "decimal", minimum=0),
    "day": AttributeSpec("day", "choice", choices=("mo", "tu")),
    "days": AttributeSpec("days", "multichoice", choices=("mo", "tu", "we")),
    "hours": AttributeSpec("hours", "opening_hours"),
    "since": AttributeSpec("since", "date"),
    "who": AttributeSpec("who", "text", required=True),
}


def test_valid_values_are_cleaned_to_their_type():
    cleaned, errors = clean_attributes(
        {"public": "oui", "plots": "12", "surface": 1.5, "day": "mo", "days": ["we", "mo"], "hours": "Sa 10:00-12:00", "since": "2020-03-01", "who": " all "},
        SPECS,
    )
    assert errors == []
    assert cleaned == {
        "public": True,
        "plots": 12,
        "surface": 1.5,
        "day": "mo",
        "days": ["mo", "we"],
        "hours": "Sa 10:00-12:00",
        "since": "2020-03-01",
        "who": "all",
    }


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"public": "maybe"}, "attributes.public", "true or false"),
        ({"plots": -1}, "attributes.plots", "at least 0"),
        ({"plots": 2.5}, "attributes.plots", "whole number"),
        ({"day": "fr"}, "attributes.day", "one of mo, tu"),
        ({"hours": "whenever"}, "attributes.hours", "opening_hours"),
        ({"since": "yesterday"}, "attributes.since", "YYYY-MM-DD"),
        ({"colour": "red"}, "attributes.colour", "unknown attribute"),
    ],
)
def test_invalid_values_name_the_attribute_and_the_reason(values, field, reason):
    _, errors = clean_attributes({"who": "x", **values}, SPECS)
    assert [e.field for e in errors] == [field]
    assert reason in errors[0].reason


def test_a_required_attribute_must_be_given():
    _, errors = clean_attributes({}, SPECS)
    assert [(e.field, e.reason) for e in errors] == [("attributes.who", "required for this category")]
