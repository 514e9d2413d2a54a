"""`python -m intervals_mcp` is the same as the `intervals-mcp` command."""

from intervals_mcp.cli import main

if __name__ == "__main__":
    main()
