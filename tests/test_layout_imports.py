"""The layout holds: no feature imports another feature's views, and no import circles in mab/.

Every module under ``mab/`` is parsed with ``ast``; every ``import``/``from ... import`` counts,
at module level and inside functions alike (a function-level import only hides a circle, it does
not remove it). Imports under ``if TYPE_CHECKING:`` are left out: they never run.
"""
import ast
from pathlib import Path

MAB = Path(__file__).resolve().parent.parent / "mab"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(MAB.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(MAB.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return ((isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _import_nodes(tree: ast.AST):
    """Every import statement in the tree, skipping ``if TYPE_CHECKING:`` bodies."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _targets(name: str, path: Path, node, modules) -> set[str]:
    """The mab modules an import statement loads (``from a import b`` is ``a.b`` when a module)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in modules}
    if node.level:
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    found = set()
    for alias in node.names:
        if f"{base}.{alias.name}" in modules:
            found.add(f"{base}.{alias.name}")
        elif base in modules:
            found.add(base)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges = set()
        for node in _import_nodes(tree):
            edges |= _targets(name, path, node, modules)
        edges.discard(name)
        graph[name] = edges
    return graph


def _feature(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (MAB / parts[1]).is_dir()) else None


def test_no_module_imports_another_features_views():
    offending = []
    for module, targets in import_graph().items():
        if module == "mab":
            continue   # the app factory registers every blueprint
        for target in targets:
            parts = target.split(".")
            if parts[-1] == "views" and _feature(target) != _feature(module):
                offending.append(f"{module} -> {target}")
    assert not offending, "imports of another feature's views:\n" + "\n".join(sorted(offending))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each as one cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_one_cycle(graph, set(c)) for c in components]


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest cycle through the component's first module, to name the circle."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & component):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    return sorted(component)


def test_no_import_cycles_between_mab_modules():
    cycles = _cycles(import_graph())
    assert not cycles, "import circles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_graph_sees_function_level_imports_and_cycles():
    """The checker itself: a function-level import is an edge, and a circle is named."""
    graph = import_graph()
    assert "mab.auth.views" in graph["mab"]   # create_app's imports are inside the function
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_only_the_factory_imports_views():
    """A feature's views are imported by ``create_app`` alone, never by a package or module."""
    graph = import_graph()
    offenders = sorted(f"{module} -> {target}" for module, targets in graph.items()
                       if module != "mab" for target in targets
                       if target.endswith(".views") and not module.startswith(target))
    assert not offenders, "views imported outside the app factory:\n" + "\n".join(offenders)


def test_every_feature_blueprint_is_registered(app):
    import importlib
    for views in sorted(MAB.glob("*/views.py")):
        feature = views.parent.name
        bp = importlib.import_module(f"mab.{feature}.views").bp
        assert bp.name == feature and app.blueprints[feature] is bp
