"""The SQLite cache: tables (models), the file and engine (engine), reads and writes (repo).

SQL only: nothing here knows HTTP. `columns` holds the pure payload -> column transforms.
"""
