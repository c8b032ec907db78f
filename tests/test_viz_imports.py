"""viz/ imports point one way: no module of the package imports another that (directly or
through others) imports it back, counting imports inside functions too; and nn/ never
imports viz/ (the layers: nn ← viz)."""

from __future__ import annotations

import ast
from pathlib import Path

import microgradnn

PACKAGE = Path(microgradnn.__file__).parent


def _imports(path: Path, package: str) -> set[str]:
    """The microgradnn modules a file imports, anywhere in it (dotted names)."""
    here = package.split(".")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names = [f"{module}.{a.name}" for a in node.names]
            found.update(n for n in [module, *names] if n.startswith("microgradnn"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("microgradnn"))
    return found


def _graph(folder: str) -> dict[str, set[str]]:
    modules = {f"microgradnn.{folder}.{p.stem}": p for p in (PACKAGE / folder).glob("*.py")
               if p.stem != "__init__"}
    return {name: {m for m in _imports(path, f"microgradnn.{folder}") if m in modules}
            for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    for start in graph:
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child):], child]
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(graph[child]))))
                path.append(child)
    return None


def test_viz_modules_import_each_other_one_way():
    graph = _graph("viz")
    assert "microgradnn.viz.graph" in graph and graph["microgradnn.viz.network"]
    assert _cycle(graph) is None


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_nn_never_imports_viz_and_names_come_from_one_module():
    for path in (PACKAGE / "nn").glob("*.py"):
        assert not any(m.startswith("microgradnn.viz") for m in
                       _imports(path, "microgradnn.nn")), path.name
    users = [p.name for folder in ("nn", "viz") for p in (PACKAGE / folder).glob("*.py")
             if any(m.startswith("microgradnn.nn.notation")
                    for m in _imports(p, f"microgradnn.{folder}"))]
    assert {"graph.py", "style.py", "caption.py", "network.py", "collapse.py"} <= set(users)
