"""Analysis: outcome rates with intervals (``rates``), whether responses may be compared
(``comparison``), force-by-force comparison and funnel limits (``forces``), and the
synthetic demonstration set (``synthetic``).

May import ``fosi.checks``, ``fosi.readers`` and ``fosi.model``; never ``fosi.publish``.
"""
