"""Lines into tables into figures: rows found by their runs of values, headers fitted to the
columns, cell streams, separators, flattened and truncated tables, reading hints, and the
accounting that gives every number on a line a role.

May import ``fosi.model`` and the base modules; never ``fosi.readers.formats``.
"""
