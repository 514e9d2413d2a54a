"""A caching MCP server for Intervals.icu."""

__version__ = "0.1.0"
