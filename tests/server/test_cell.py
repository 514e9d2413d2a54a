"""`cell`'s fast path for already-clean text gives exactly what the general rule gives."""

from __future__ import annotations

import pytest

from intervals_mcp.server.formatting import cell

SAMPLES = [
    "", " ", "a", " a", "a ", "a  b", "a\tb", "a\nb", "a\r\nb", "a|b", "|", "1:45", "47.6km",
    "Zwift - VO2 5x4", "\u00a0x", "x\u2003y", "ü ñ", "a\x0bb", "a\u2028b", "a\x1cb", "é|\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_cell_is_one_line_without_separators(text: str) -> None:
    assert cell(text) == " ".join(text.split()).replace("|", "/")
