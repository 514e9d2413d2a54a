"""Prompts: short briefs that route a model to the right tools for the questions people ask
most. Each is one user message: what to look at, in which order, and what to say. The briefs
are prose, kept in `prompts.toml` (package data) and said by one `Prompt.render`; the tools
they name are checked against the registry by a test."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from intervals_mcp.server.app import AppState


@dataclass(frozen=True)
class Prompt:
    """One prompt of `prompts.toml` (its header says what each field means)."""

    name: str
    title: str
    description: str
    brief: str
    argument: str | None = None
    given: str = "{}"
    otherwise: str = ""

    @property
    def arguments(self) -> tuple[str, ...]:
        """What the prompt takes, all optional: its own argument, if any, then athlete_id."""
        return (self.argument, "athlete_id") if self.argument else ("athlete_id",)

    def render(self, athlete_id: str = "", **asked: str) -> str:
        """The brief for these arguments (an argument the prompt does not take is refused)."""
        unknown = set(asked) - set(self.arguments)
        if unknown:
            raise TypeError(f"{self.name} takes no argument {', '.join(sorted(unknown))}")
        value = asked.get(self.argument or "", "")
        athlete = athlete_id.strip()
        return " ".join(self.brief.split()).format(
            asked=self.given.format(value) if value else self.otherwise,
            athlete=f" Pass athlete_id={athlete} to every tool." if athlete else "",
        )


def _load() -> tuple[Prompt, ...]:
    declared: dict[str, Any] = tomllib.loads(
        (files("intervals_mcp.server") / "prompts.toml").read_text(encoding="utf-8")
    )
    return tuple(Prompt(name=name, **fields) for name, fields in declared.items())


PROMPTS = _load()


def register_prompts(server: MCPServer[AppState]) -> None:
    from mcp.server.mcpserver.prompts.base import Prompt as Listed
    from mcp.server.mcpserver.prompts.base import PromptArgument

    for prompt in PROMPTS:
        arguments = [PromptArgument(name=name) for name in prompt.arguments]
        listed = Listed(
            name=prompt.name,
            title=prompt.title,
            description=prompt.description,
            arguments=arguments,
            fn=prompt.render,
        )
        server.add_prompt(listed)
