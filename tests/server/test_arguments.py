"""Direct tests of the one-sentence refusals for arguments the SDK's validation rejects."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from intervals_mcp.server.arguments import expected_form, refusal


class Arguments(BaseModel):
    """A tool's arguments as the SDK builds them (shapes of our shared argument types)."""

    event_id: Annotated[int | str, Field(description="Event id as listed by get_events, like 87654321.")]
    limit: Annotated[int, Field(ge=1, le=200)] = 10
    start_date: Annotated[str | None, Field(description="First day, YYYY-MM-DD, athlete-local.")] = None
    refresh: bool = False


SCHEMA = Arguments.model_json_schema()


def said(**arguments: Any) -> str:
    with pytest.raises(ValidationError) as refused:
        Arguments(**arguments)
    return refusal(refused.value.errors(), SCHEMA)


def test_the_form_comes_from_the_schema() -> None:
    props = SCHEMA["properties"]
    assert expected_form(props["limit"]) == "a whole number from 1 to 200"
    assert expected_form(props["event_id"]) == "a whole number like 87654321"
    assert expected_form(props["start_date"]) == "a date as text, YYYY-MM-DD"
    assert expected_form(props["refresh"]) == "true or false"
    assert expected_form({"type": "integer", "minimum": 0}) == "a whole number of at least 0"
    athlete = {"type": ["string", "null"], "description": "Athlete id like i12345 (e.g. a coached one)."}
    assert expected_form(athlete) == 'text like "i12345"'  # a lean schema's type list too
    assert expected_form({"type": ["integer", "string", "null"], "description": "like 42."}) == (
        "a whole number like 42"
    )
    assert expected_form({}) == "a value of the documented type"


def test_each_refused_argument_is_one_clause() -> None:
    assert said(event_id=1.5) == "event_id 1.5 is not a whole number: give a whole number like 87654321."
    assert said(limit=0, event_id=1) == "limit 0 is out of range: give a whole number from 1 to 200."
    assert said() == "event_id is missing: give a whole number like 87654321."
    assert said(event_id=1, start_date=20261101) == (
        "start_date 20261101 is not text: give a date as text, YYYY-MM-DD."
    )
    assert said(event_id=[1], limit="many", refresh="maybe") == (
        "event_id [1] is not a whole number: give a whole number like 87654321; limit 'many' is not "
        "a whole number: give a whole number from 1 to 200; refresh 'maybe' is not true or false: "
        "give true or false."
    )


class Named(BaseModel):
    name: Annotated[str, Field(max_length=3)]


def test_a_long_value_is_cut_short_and_other_checks_keep_pydantics_words() -> None:
    with pytest.raises(ValidationError) as refused:
        Named(name="x" * 500)
    text = refusal(refused.value.errors(), Named.model_json_schema())
    assert text == (
        f"name '{'x' * 35}...' is not accepted (string should have at most 3 characters): give text."
    )
