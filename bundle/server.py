"""The bundle's entry point: `intervals-mcp serve` over stdio, configured by the environment
the host passes (INTERVALS_API_KEY, ATHLETE_ID, INTERVALS_MCP_DB); see manifest.json."""

import sys

from intervals_mcp.cli import main

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "serve", *sys.argv[1:]]
    main()
