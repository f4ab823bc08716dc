"""The house's layout: one package per stage, imports running one way, no import circles.

    publish -> analysis -> checks -> readers -> model -> base (errors, paths, reference, generations, yamlfiles)

``cli`` and ``build`` sit above every stage. Within ``readers``, ``layout`` (lines -> tables) never
imports ``formats`` (files -> lines). Every import counts, at the top of a module or inside a
function: a lazy import still ties the two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fosi"

# Rank of each stage: a module may import modules of its own rank or lower.
BASE = {"fosi.errors", "fosi.paths", "fosi.reference", "fosi.generations", "fosi.reference_data",
        "fosi.yamlfiles"}
TOP = {"fosi", "fosi.cli", "fosi.build", "fosi.__main__"}
STAGES = ["base", "model", "readers", "checks", "analysis", "publish", "top"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str:
    if module in TOP:
        return "top"
    if module in BASE or any(module.startswith(base + ".") for base in BASE):
        return "base"
    return module.split(".")[1]


def imports_of(path: Path, modules: set[str]) -> list[tuple[int, str]]:
    """(line, module) for each fosi module this file imports, at any depth of the file."""
    found = []
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "fosi"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] != "fosi":
                continue
            # `from fosi.readers.layout import cells`: the module imported is the submodule.
            named = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in modules]
            if target == "fosi" and {alias.name for alias in node.names} <= {"__version__"}:
                continue  # the package root's version string, not its stages
            found += [(node.lineno, name) for name in named] or [(node.lineno, target)]
    return found


def graph() -> dict[str, list[tuple[int, str]]]:
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: imports_of(path, set(files)) for name, path in files.items()}


def test_every_import_runs_down_the_stages():
    wrong = []
    for module, imports in graph().items():
        rank = STAGES.index(stage_of(module))
        for line, target in imports:
            if STAGES.index(stage_of(target)) > rank:
                wrong.append(f"{module.replace('.', '/')}.py:{line} imports {target} "
                             f"({stage_of(module)} may not import {stage_of(target)})")
            if module.startswith("fosi.readers.layout") and target.startswith("fosi.readers.formats"):
                wrong.append(f"{module.replace('.', '/')}.py:{line} imports {target} "
                             "(readers.layout may not import readers.formats)")
    assert not wrong, "imports against the stage order:\n" + "\n".join(wrong)


def test_no_import_circles():
    edges = {module: {target for _, target in imports if target != module} for module, imports in graph().items()}
    where = {(module, target): line for module, imports in graph().items() for line, target in imports}
    circles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                cycle = path[path.index(target):] + [target]
                circles.append(" -> ".join(f"{a} (line {where[(a, b)]})" for a, b in zip(cycle, cycle[1:]))
                               + f" -> {target}")
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_the_checker_sees_a_circle_and_a_backward_import(tmp_path, monkeypatch):
    """The two tests above can fail: a small package with one circle and one import against the order."""
    fake = tmp_path / "fosi"
    for name, text in {
        "__init__.py": "", "model/__init__.py": "", "publish/__init__.py": "",
        "model/a.py": "from fosi.model import b\n", "model/b.py": "def f():\n    from fosi.model.a import x\n",
        "model/c.py": "from fosi.publish.d import y\n", "publish/d.py": "y = 1\n",
    }.items():
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_text(text)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    try:
        test_every_import_runs_down_the_stages()
    except AssertionError as error:
        assert "fosi/model/c.py:1 imports fosi.publish.d" in str(error)
    else:
        raise AssertionError("a model module importing publish was not caught")
    try:
        test_no_import_circles()
    except AssertionError as error:
        assert "fosi.model.a" in str(error) and "fosi.model.b" in str(error)
    else:
        raise AssertionError("the circle a -> b -> a was not caught")
