"""Checks: what a response says against itself and the reference (``validate``), withheld
cells (``suppression``), and the reviewed corrections applied to printed figures
(``corrections``).

May import ``fosi.readers`` and ``fosi.model``; never ``analysis`` or ``publish``.
"""
