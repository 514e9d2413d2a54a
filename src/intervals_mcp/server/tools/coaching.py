"""Coaching: the athletes an API key follows or coaches, and how each of them stands.

Every other tool takes `athlete_id` for one of them; these two answer about the key itself,
so they take none (the key's owner is resolved through `0`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from intervals_mcp.analysis.roster import RULE, AthleteState, attention_order
from intervals_mcp.errors import InputError
from intervals_mcp.server.answers import Body
from intervals_mcp.server.athlete_templates import AthleteView, Call, Found, athlete_tool, documents
from intervals_mcp.server.formatting import roster as fmt
from intervals_mcp.server.inputs import resolve_athlete
from intervals_mcp.server.schemas_athlete import AthletesResult, RosterResult, athlete_row
from intervals_mcp.server.templates import body
from intervals_mcp.sync.asks import DocumentAsk

if TYPE_CHECKING:
    from intervals_mcp.sync.roster import RosterEntry

ATHLETES = DocumentAsk("athletes")


def _listed(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in payload.get("athletes") or [] if isinstance(a, dict) and a.get("id")]


@athlete_tool(
    documents(lambda call: ATHLETES),
    result=AthletesResult,
    domain="coaching",
    noun="athlete list",
    for_key=True,
)
def list_athletes(view: AthleteView) -> Body:
    """The athletes this API key can read (its owner, and whom it coaches or follows): id,
    name, time zone. Use to find the athlete_id for a coached athlete."""
    owner = view.athlete.id
    rows = [athlete_row(a, owner) for a in _listed(view.payload)]
    return body(fmt.format_athletes(owner, rows), AthletesResult(key_owner=owner, athletes=rows))


AthleteIds = Annotated[
    str | None,
    Field(description="Comma list of athlete ids to include; default everyone list_athletes shows."),
]


def _chosen(listed: list[dict[str, Any]], asked: str | None) -> list[dict[str, Any]]:
    if asked is None or not asked.strip():
        return listed
    by_id = {str(a["id"]): a for a in listed}
    wanted = [resolve_athlete(part.strip(), "") for part in asked.split(",") if part.strip()]
    unknown = [w for w in wanted if w not in by_id]
    if unknown:
        raise InputError(
            f"athlete_ids names {', '.join(unknown)}, whom this key cannot read: list_athletes shows "
            f"who it can ({', '.join(by_id)})."
        )
    return [by_id[w] for w in dict.fromkeys(wanted)]


async def _roster(call: Call) -> Found:
    from intervals_mcp.sync.roster import read_roster

    services = call.services
    row, fr = await services.documents.ensure(ATHLETES, call.athlete, refresh=call.refresh)
    chosen = _chosen(_listed(row.payload), call.args["athlete_ids"])
    entries, freshness, digest = await read_roster(
        services, call.athlete.id, chosen, refresh=call.refresh, now=call.began
    )
    return Found((row.digest, digest), {"entries": entries}, [fr, *freshness])


def _state(entry: RosterEntry) -> AthleteState:
    if entry.error is not None or entry.records is None or entry.today is None:
        return AthleteState(entry.athlete_id, entry.name, date.min, error=entry.error or "not read")
    r = entry.records
    return fmt.athlete_state(
        entry.athlete_id,
        entry.name,
        date.fromisoformat(entry.today),
        r.get("wellness", []),
        r.get("activities", []),
        r.get("events", []),
    )


@athlete_tool(_roster, result=RosterResult, domain="coaching", noun="roster", for_key=True)
def get_roster_status(view: AthleteView, athlete_ids: AthleteIds = None) -> Body:
    """A coach's overview, who needs attention first: per athlete form (CTL - ATL), ramp, HRV
    against baseline, last activity and this week's missed planned sessions."""
    ordered = attention_order([_state(e) for e in view.payload["entries"]])
    rows = [fmt.roster_row(rank, s) for rank, s in enumerate(ordered, start=1)]
    owner = view.athlete.id
    return body(fmt.format_roster(owner, rows, RULE), RosterResult(key_owner=owner, rule=RULE, athletes=rows))


TOOLS = (list_athletes, get_roster_status)
