"""The data model: what travels between the stages.

A ``Response`` (one file, read) with its figure table (``figures``), the checks' ``Finding``s,
the ``Dataset`` built from many responses, and periods. Imports nothing from the other
stages: only the base modules at the top of ``fosi`` (``errors``, ``paths``, ``reference``,
``generations``).
"""
