"""The package's import structure, read from the source (nothing is imported): no import
cycle between its modules, and no stage package importing another stage package."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "veille"
STAGES = ("ingest", "clean", "nlp", "dedupe", "cluster", "eventrecords", "store", "serve", "watch")
SHARED = ("records", "text", "dates", "places", "scales", "errors", "config")  # leaves any stage may import
CHAINS = ("runners", "cli")  # may import stages
# Known imports of one stage by another, left as they are for now (stage -> stages it
# imports); a new one fails the test.
KNOWN_STAGE_IMPORTS: dict[str, set[str]] = {
    # serve/reader.py and serve/report.py show stories with cluster/views.py (story
    # summaries, mirror links); serve/ reads through the store's protocol (store/base.py)
    # and serve/app.py opens the store it serves.
    "serve": {"cluster", "store"},
    # watch/ writes through the store's protocol and keeps its feed and alert state in
    # the store (store/watchstate.py).
    "watch": {"store"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = ("veille", *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The veille modules ``name`` imports, anywhere in its source (functions included)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for a in node.names:
                sub = f"{origin}.{a.name}"
                found.add(sub if sub in MODULES else origin)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_graph_is_read():
    assert "veille.nlp.actors" in GRAPH["veille.nlp"]
    assert "veille.text" in GRAPH["veille.nlp.dictionary"]


def test_no_import_cycle():
    # Tarjan's strongly connected components: any with more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_no_stage_imports_another_stage():
    bad = []
    for name, targets in GRAPH.items():
        stage = _top(name)
        if stage not in STAGES:
            continue
        for t in targets:
            other = _top(t)
            if other in STAGES and other != stage and other not in KNOWN_STAGE_IMPORTS.get(stage, ()):
                bad.append(f"{name} -> {t}")
    assert not bad, "a stage imports another stage: " + ", ".join(sorted(bad))


def test_shared_leaves_import_no_stage():
    for name, targets in GRAPH.items():
        if _top(name) in SHARED:
            assert all(_top(t) in SHARED for t in targets), (name, targets)
    assert not GRAPH["veille.text"], "veille.text imports nothing from veille"
    assert not GRAPH["veille.records"], "veille.records imports nothing from veille"


def test_every_top_level_module_has_a_place():
    tops = {_top(m) for m in MODULES} - {""}
    assert tops <= set(STAGES) | set(SHARED) | set(CHAINS), tops - set(STAGES) - set(SHARED) - set(CHAINS)


def test_dates_imports_nothing_from_veille():
    assert not GRAPH["veille.dates"], "veille.dates imports nothing from veille"
