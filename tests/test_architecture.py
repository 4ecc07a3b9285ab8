"""The package layout: each stage imports only earlier stages, and no modules import each other in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import briefgen

PACKAGE = Path(briefgen.__file__).parent
# Earlier stages first; a module may import its own stage or an earlier one (see docs/architecture.md).
STAGES = ["errors", "paths", "files", "content", "i18n", "audiences", "render", "build", "api", "cli"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(["briefgen", *(parts[:-1] if parts[-1] == "__init__" else parts)])


def imports(path: Path) -> set[str]:
    """Return the briefgen modules PATH imports, at the top or inside functions (but not for type checking)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            if base.startswith("briefgen"):
                found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("briefgen"))
    return {m for m in found if m in MODULES and m != "briefgen"}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_every_module_belongs_to_a_stage():
    assert [m for m in MODULES if m != "briefgen" and stage(m) is None] == []


def test_no_module_imports_a_later_stage():
    late = [(m, i) for m, p in MODULES.items() for i in imports(p) if stage(m) is not None and stage(i) > stage(m)]
    assert late == []


def test_no_import_circles():
    graph = {m: imports(p) for m, p in MODULES.items()}
    circles = []

    def visit(module, path):
        for dep in sorted(graph[module]):
            if dep in path:
                circles.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, path + [dep])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert circles == []


def test_the_layout_test_sees_imports():
    # Guards the test above against passing vacuously: a known import is found.
    assert "briefgen.content.source" in imports(MODULES["briefgen.content.load"])
    assert "briefgen.render.pdf" in imports(MODULES["briefgen.render.target"])  # imported inside a function


def test_only_an_audience_module_names_its_audience():
    from briefgen.audiences.declaration import audiences

    names = set(audiences())
    found = []
    # Content and i18n come before audiences (and "congress" is also a content field: asks.congress).
    for module, path in ((m, p) for m, p in MODULES.items() if (stage(m) or 0) >= STAGES.index("audiences")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                owner = f"briefgen.audiences.{'sheets' if node.value in ('onepager', 'handout') else node.value}"
                if module != owner:
                    found.append((module, node.value))
    assert found == []
