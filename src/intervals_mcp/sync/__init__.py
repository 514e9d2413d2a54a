"""The sync engine: keeps the SQLite cache fresh from Intervals.icu (the only layer that imports
both the API client and the database)."""
