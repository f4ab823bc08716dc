"""File formats into lines and cells: text, web pages, Word, PDF, spreadsheets (new and old),
emails, zip archives, and the sidecar ``NAME.yml`` beside a file.

Each format hands its lines to ``fosi.readers.layout`` to find the tables. May import
``fosi.readers.layout`` and ``fosi.model``; never ``fosi.readers`` itself (a container's reader
is handed ``read_response`` for what it holds).
"""
