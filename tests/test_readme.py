"""The README is for a newcomer: short enough to read, in their order, and it documents every
public function (developer material lives in DEVELOPMENT.md)."""

from __future__ import annotations

import fosi
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_stays_under_400_lines():
    assert len(README.splitlines()) < 400, "move developer material to DEVELOPMENT.md, or say it more briefly"


def test_the_readme_documents_every_public_function_with_an_example():
    for name in fosi.__all__:
        if name != "__version__":
            assert f"fosi.{name}(" in README, name


def test_the_readme_puts_the_five_steps_before_the_reference_material():
    order = ["## The two commands", "## Your own replies in five steps", "## The figure table", "## Checks",
             "## Sidecars and corrections", "## Method", "## Where the bundled files came from"]
    positions = [README.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "(DEVELOPMENT.md)" in README and (ROOT / "DEVELOPMENT.md").is_file()
