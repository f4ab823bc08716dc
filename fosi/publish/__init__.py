"""Publish: what the reports show. Sentences (``narrative``), charts (``charts``), HTML pieces
(``html``), the pages around them (``pages``), the notebooks' sections (``sections``), the
notebooks' parameters (``parameters``), running the notebooks into reports (``report``) and
keeping committed notebooks clean (``notebooks``).

May import every stage below it: ``analysis``, ``checks``, ``readers``, ``model``.
"""
