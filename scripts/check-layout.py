#!/usr/bin/env python3
"""Checks the shape the code must keep (README, "Architecture"); exit 1 with what broke.

- No import circle among the top-level modules of the kiosk core and of the server: an edge is any
  `crate::<module>` path (or a name in `use crate::{...}`) outside test code in another top-level
  module's files. Test code (after a file's first `#[cfg(test)]`, and `*_tests.rs` files) is not
  counted: tests may reach anywhere.
- The server's `rules/` is pure: it imports no other module of the crate.
- In the kiosk core only `store/` sees SQL: nothing else names `rusqlite` or runs a statement.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
KIOSK = ROOT / "crates/pvz-kiosk-core/src"
SERVER = ROOT / "crates/pvz-server/src"


def top_module(src: pathlib.Path, path: pathlib.Path) -> str:
    first = path.relative_to(src).parts[0]
    return first[:-3] if first.endswith(".rs") else first


def production_text(path: pathlib.Path) -> str:
    if path.name.endswith("_tests.rs") or path.name == "tests.rs":
        return ""
    text = path.read_text(encoding="utf-8").split("#[cfg(test)]")[0]
    return re.sub(r"//[^\n]*", "", text)


def module_edges(src: pathlib.Path) -> dict[str, set[str]]:
    files = [p for p in src.rglob("*.rs") if p.relative_to(src).parts[0] not in ("bin",)]
    modules = {top_module(src, p) for p in files} - {"lib", "main"}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for path in files:
        module = top_module(src, path)
        if module not in modules:
            continue
        text = production_text(path)
        names = set(re.findall(r"crate::([a-z_][a-z0-9_]*)", text))
        for group in re.findall(r"use\s+crate::\{([^;]*)\};", text, re.S):
            names |= set(re.findall(r"(?:^|[,{\s])([a-z_][a-z0-9_]*)\s*(?:::|,|\}|$)", group))
        edges[module] |= {n for n in names if n in modules and n != module}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
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
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def layers(edges: dict[str, set[str]]) -> list[list[str]]:
    """The modules in dependency order: each layer uses only layers before it."""
    placed: set[str] = set()
    order = []
    while len(placed) < len(edges):
        layer = sorted(m for m in edges if m not in placed and edges[m] <= placed)
        if not layer:
            break
        order.append(layer)
        placed |= set(layer)
    return order


def main() -> int:
    problems = []
    for name, src in (("kiosk core", KIOSK), ("server", SERVER)):
        edges = module_edges(src)
        for cycle in cycles(edges):
            problems.append(f"{name}: import circle among {' '.join(cycle)}")
        if not cycles(edges):
            order = " < ".join("{" + ", ".join(layer) + "}" if len(layer) > 1 else layer[0] for layer in layers(edges))
            print(f"{name}: {len(edges)} top-level modules, no circle: {order}")
    rules = module_edges(SERVER).get("rules", set())
    if rules:
        problems.append(f"server: rules/ must be pure but imports {' '.join(sorted(rules))}")
    for path in sorted(KIOSK.rglob("*.rs")):
        if path.relative_to(KIOSK).parts[0] == "store":
            continue
        text = production_text(path)
        for pattern, what in ((r"\brusqlite\b", "names rusqlite"),
                              (r"\.(execute|execute_batch|prepare|prepare_cached|query_row)\(", "runs SQL")):
            if re.search(pattern, text):
                problems.append(f"kiosk core: {path.relative_to(ROOT)} {what}; only store/ may")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
