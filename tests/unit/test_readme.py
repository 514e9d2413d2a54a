"""The README's table of tools is the registry's: a tool added, renamed or described anew shows
there, or this fails with the command that regenerates the table."""

from __future__ import annotations

import re
from pathlib import Path

from intervals_mcp.server.tools import TOOLS, readme_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_tool_as_the_registry_does() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- tools:start[^>]*-->\n(.*?)\n<!-- tools:end -->", text, re.S)
    assert found, "README.md lost its tools:start/tools:end markers"
    assert found.group(1) == readme_table(), (
        "README.md's tool table is out of date: paste `uv run python -m intervals_mcp.server.tools`"
    )
    for spec in TOOLS:
        assert f"`{spec.name}`" in found.group(1)


def test_pytest_ends_with_its_count_also_when_asked_to_be_quiet() -> None:
    """`uv run pytest -q` (and plain `uv run pytest`) end with 'N passed': the settings add no
    -q of their own, which made a second -q drop that line."""
    import subprocess
    import sys

    for quiet in ((), ("-q",)):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *quiet, "-p", "no:cacheprovider", "tests/unit/test_cli_args.py"],
            cwd=README.parent,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout
        assert re.search(r"\b\d+ passed in ", result.stdout.strip().splitlines()[-1]), result.stdout


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)", text, re.S | re.M)
    assert found, f"README.md has no section {title!r}"
    return found.group(1)


def test_the_quickstart_starts_from_a_fresh_clone() -> None:
    quickstart = section("Quickstart")
    clone = quickstart.index("git clone https://github.com/")
    assert clone < quickstart.index("cd intervals-mcp") < quickstart.index("uv run intervals-mcp demo")
    assert "dev" in quickstart and "uv run --no-dev intervals-mcp demo" in quickstart  # says why


def test_try_it_against_the_fake_names_what_the_fake_accepts() -> None:
    """The key and athlete the README gives are the ones `intervals-mcp fake` serves."""
    from intervals_mcp.cli import FAKE_KEY
    from intervals_mcp.fake import generate_athlete

    said = section("Try it against the fake")
    athlete = generate_athlete(years=0.1).athlete_id
    assert f"API_KEY={FAKE_KEY}" in said and f"ATHLETE_ID={athlete}" in said
    assert "INTERVALS_API_BASE_URL=http://127.0.0.1:8777/api/v1" in said
    assert "intervals-mcp fake --port 8777" in said


def test_streamable_http_is_documented_with_its_path() -> None:
    from intervals_mcp.server.app import HTTP_PATH

    said = section("Streamable HTTP")
    assert f"http://127.0.0.1:8000{HTTP_PATH}" in said and f"http://HOST:PORT{HTTP_PATH}" in said
    assert "--transport streamable-http" in said


def test_the_settings_table_says_which_name_wins_and_how_an_id_is_read() -> None:
    settings = section("Settings")
    key_row = next(line for line in settings.splitlines() if line.startswith("| `API_KEY`"))
    athlete_row = next(line for line in settings.splitlines() if line.startswith("| `ATHLETE_ID`"))
    assert "`INTERVALS_API_KEY` wins" in key_row
    assert "`12345` becomes `i12345`" in athlete_row and "`INTERVALS_ATHLETE_ID` wins" in athlete_row


def test_a_lone_end_date_is_documented_as_it_behaves() -> None:
    from datetime import date

    from intervals_mcp.server.inputs import resolve_range

    tools = section("Tools")
    assert "`get_events` with only `end_date` runs from today" in " ".join(tools.split())
    today = date(2026, 11, 24)
    assert resolve_range(None, "2027-01-31", today=today, default_start=0, default_end=30).start == today
