"""The write shape of a tool: `write_tool`. A write tool is declared once, as an async function
that checks its arguments and asks the write service (`sync/writes.py`) to write; the template
does the rest, the same way for every write:

- the shared arguments: `athlete_id` (a coach writes to an athlete's calendar) and `dry_run`
  (return exactly what would be sent, send nothing);
- the writes mode (`INTERVALS_MCP_WRITES`): `off` lists no write tool at all (see the registry),
  `safe` (the default) refuses deletes of past events (`WriteView.guard_past`), `full` allows
  everything;
- the annotations: never read-only, destructive for deletes, idempotent where repeating the
  call leaves the same state;
- the error scope: every failure is one sentence that says whether anything was written;
- no memo and no provenance: a write always goes upstream, and says what it did.

    @write_tool(result=WellnessWriteResult, idempotent=True)
    async def update_wellness(view: WriteView, date: Day, weight: Weight = None) -> WriteAnswer:
        \"\"\"The description the model reads.\"\"\"
        ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from intervals_mcp.errors import InputError
from intervals_mcp.server.toolspec import ATHLETE, Ctx, Domain, ToolSpec, call_scope, declare_tool, param

if TYPE_CHECKING:
    from intervals_mcp.config import WritesMode
    from intervals_mcp.sync.athletes import Athlete
    from intervals_mcp.sync.writes import Writes

DryRun = Annotated[
    bool,
    Field(
        description="Only show exactly what would be sent to Intervals.icu (method, path and body) "
        "and what it would change; send nothing."
    ),
]
SAFE_MODE = (
    "and this server runs in safe mode, which never deletes past events: delete past events on "
    "intervals.icu, or set INTERVALS_MCP_WRITES=full in the server's environment and restart it"
)


@dataclass(frozen=True)
class WriteView:
    """What a write tool works with: the athlete, the write service, the mode and `dry_run`."""

    athlete: Athlete
    writes: Writes
    mode: WritesMode
    dry_run: bool
    today: date  # the athlete's today

    def guard_past(self, day: date, what: str) -> None:
        """Refuse, outside `full` mode, to delete what lies before the athlete's today."""
        if self.mode == "full" or day >= self.today:
            return
        raise InputError(f"{what} is on {day}, before today ({self.today}), {SAFE_MODE}.")

    def guard_range(self, start: date, end: date) -> None:
        """Refuse, outside `full` mode, a range delete that reaches before the athlete's today."""
        if self.mode == "full" or start >= self.today:
            return
        raise InputError(
            f"{start} to {end} reaches before today ({self.today}), {SAFE_MODE} (or give start_date "
            f"{self.today} or later)."
        )


@dataclass(frozen=True)
class WriteAnswer:
    """A write tool's answer: the text the model reads and the structured result."""

    text: str
    result: BaseModel


def annotations_for(*, destructive: bool, idempotent: bool) -> ToolAnnotations:
    return ToolAnnotations(
        read_only_hint=False, destructive_hint=destructive, idempotent_hint=idempotent, open_world_hint=True
    )


def write_tool(
    *, result: type[BaseModel], destructive: bool = False, idempotent: bool = True, domain: Domain = "writes"
) -> Callable[[Callable[..., Awaitable[WriteAnswer]]], ToolSpec]:
    """A tool that writes to Intervals.icu through the write service (see the module docstring)."""

    def declare(builder: Callable[..., Awaitable[WriteAnswer]]) -> ToolSpec:
        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            dry_run = args.pop("dry_run")
            async with call_scope(builder.__name__, ctx, args, None) as call:
                today = call.athlete.today(call.began)
                view = WriteView(call.athlete, call.services.writes, call.st.settings.writes, dry_run, today)
                answer = await builder(view, **args)
            return CallToolResult(
                content=[TextContent(type="text", text=answer.text)],
                structured_content=answer.result.model_dump(mode="json"),
            )

        notes = annotations_for(destructive=destructive, idempotent=idempotent)
        after = (ATHLETE, param("dry_run", DryRun, False))
        return declare_tool(
            builder, "write", domain, result, run, after=after, with_source=False, annotations=notes
        )

    return declare
