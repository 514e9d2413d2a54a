"""`python -m intervals_mcp.server.tools`: print the README's table of tools."""

from intervals_mcp.server.tools import readme_table

print(readme_table())
