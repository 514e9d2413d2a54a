"""Arguments of the wrong type or out of bounds, said in one sentence like the tools' own refusals.

The SDK validates a call's arguments against the tool's input schema before the tool runs and
reports a failure as pydantic's multi-line dump with a link. `refusal` turns pydantic's errors
into one sentence naming each refused argument, what was wrong with it and the form wanted
(taken from the same JSON schema the model reads: type, bounds and the description's example).
Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic_core import ErrorDetails

from intervals_mcp.words import shown

MAX_ARGUMENTS_SAID = 3
_LIKE = re.compile(r"\blike ([^\s,;()]*[^\s,;().])")

# pydantic's error types, by what they mean to a person giving the argument
_PROBLEMS = {
    "greater_than_equal": "out of range",
    "less_than_equal": "out of range",
    "greater_than": "out of range",
    "less_than": "out of range",
    "int_parsing": "not a whole number",
    "int_type": "not a whole number",
    "int_from_float": "not a whole number",
    "float_parsing": "not a number",
    "float_type": "not a number",
    "string_type": "not text",
    "bool_parsing": "not true or false",
    "bool_type": "not true or false",
}


def _types(prop: Mapping[str, Any]) -> set[str]:
    """The JSON types a property allows (`type` may be a list; `anyOf` lists options), less null."""
    found: set[str] = set()
    for option in (prop, *prop.get("anyOf", ())):
        kind = option.get("type")
        found.update(kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else [])
    return found - {"null"}


def expected_form(prop: Mapping[str, Any]) -> str:
    """The form an argument takes, as its JSON schema says: 'a whole number from 1 to 200',
    'true or false', 'a date as text, YYYY-MM-DD', 'text like "i12345"' (the example is the
    description's own "like ...")."""
    types = _types(prop)
    description = str(prop.get("description") or "")
    example = _LIKE.search(description)
    if types == {"boolean"}:
        return "true or false"
    if "integer" in types:
        low, high = prop.get("minimum"), prop.get("maximum")
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        if low is not None:
            return f"a whole number of at least {low}"
        return f"a whole number like {example.group(1)}" if example else "a whole number"
    if "number" in types:
        return "a number"
    if "string" in types:
        if "YYYY-MM-DD" in description:
            return "a date as text, YYYY-MM-DD"
        return f'text like "{example.group(1)}"' if example else "text"
    return "a value of the documented type"


def _clause(error: ErrorDetails, schema: Mapping[str, Any]) -> tuple[str, str]:
    loc = error.get("loc") or ()
    name = str(loc[0]) if loc else "the arguments"
    form = expected_form(schema.get("properties", {}).get(name, {}))
    if error["type"] == "missing":
        return name, f"{name} is missing: give {form}"
    problem = _PROBLEMS.get(error["type"])
    if problem is None:  # any other check: pydantic's own words, on one line
        problem = f"not accepted ({' '.join(str(error.get('msg', '')).split()).lower()})"
    return name, f"{name} {shown(error.get('input'))} is {problem}: give {form}"


def refusal(errors: Sequence[ErrorDetails], schema: Mapping[str, Any]) -> str:
    """One sentence for arguments pydantic refused: each argument once (a union's several
    errors are one argument), at most a few of them."""
    said: dict[str, str] = {}
    for error in errors:
        name, clause = _clause(error, schema)
        said.setdefault(name, clause)
    clauses = list(said.values())[:MAX_ARGUMENTS_SAID]
    return "; ".join(clauses) + "."
