#!/usr/bin/python3
"""check_layers.py: the C sources keep their layers (docs/architecture.md).

    check_layers.py SOURCE_DIR [LIBRARY.a]

1. Includes run one way, commands -> model -> core: a file in sim/core/ includes
   only core headers; a file in models/ or models/engine/ includes core and model
   headers; sim/cmd/ may include any. An #include "NAME" is resolved by the header's
   name to the folder that holds it (names are unique across the folders).
2. No calls up the layers, and no file cycles: with the engine library built (LIBRARY.a), `nm` tells which
   source file defines each global symbol and which files use it; file A depends on
   B when A uses a symbol B defines. B must not be in a higher layer than A, and
   every strongly connected group of more than one
   file is a cycle (A.c calls into B and B.c, directly or through others, into A).

Before checking the tree it checks itself on a small made-up tree with one wrong
include and one cycle, which both must be found. Exit status 0 when clean, 1 with
one line per problem.
"""
import os
import re
import subprocess
import sys
import tempfile

LAYERS = [("sim/core", 0), ("models/engine", 1), ("models", 1), ("sim/cmd", 2)]
# headers generated in the build tree, and the folder they count in
GENERATED = {"revision.h": "sim/core/revision.h",   # cmake/revision.cmake
             "validate_base_yaml.h": "sim/cmd/validate_base_yaml.h"}   # params/validate_base.yaml, CMakeLists.txt
NAMES = {0: "core", 1: "model", 2: "command"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(rel):
    for folder, rank in LAYERS:
        if os.path.dirname(rel) == folder:
            return rank
    return None


def source_files(top):
    """Relative paths of the C sources and headers of the layered folders."""
    out = []
    for folder, _ in LAYERS:
        d = os.path.join(top, folder)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name.endswith((".c", ".h", ".h.in")):
                    out.append(f"{folder}/{name}")
    return out


def check_includes(top):
    files = source_files(top)
    where, problems = dict(GENERATED), []
    for rel in files:
        name = os.path.basename(rel)
        name = name[:-3] if name.endswith(".h.in") else name   # build_info.h.in -> build_info.h
        if name.endswith(".h"):
            if name in where:
                problems.append(f"{rel}: header name {name} also in {where[name]}")
            where[name] = rel
    for rel in files:
        with open(os.path.join(top, rel), encoding="utf-8") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            target = where.get(m.group(1))
            if target is None:
                problems.append(f"{rel}:{line}: #include \"{m.group(1)}\" is no header of sim/ or models/")
            elif layer_of(target) > layer_of(rel):
                problems.append(f"{rel}:{line}: a {NAMES[layer_of(rel)]} file includes "
                                f"{target} ({NAMES[layer_of(target)]} layer)")
    return problems


def symbol_graph(top, library):
    """{source: {source it uses: [symbols]}} from `nm` of the library's members."""
    by_base = {}
    for rel in source_files(top):
        if rel.endswith(".c"):
            by_base.setdefault(os.path.basename(rel), []).append(rel)
    out = subprocess.run(["nm", library], capture_output=True, text=True, check=True).stdout
    defs, uses, member = {}, {}, None
    for line in out.splitlines():
        if line.endswith(".o:"):
            base = line[:-1][: -len(".o")]
            found = by_base.get(base, [])
            if len(found) > 1:
                raise SystemExit(f"check_layers: two sources are called {base}: {found}")
            member = found[0] if found else None   # objects of deleted sources are skipped
            continue
        parts = line.split()
        if member is None or not parts:
            continue
        if len(parts) == 3 and parts[1] in "TDBRCG":
            defs[parts[2]] = member
        elif len(parts) == 2 and parts[0] == "U":
            uses.setdefault(member, set()).add(parts[1])
    graph = {}
    for src, syms in uses.items():
        for sym in syms:
            dst = defs.get(sym)
            if dst and dst != src:
                graph.setdefault(src, {}).setdefault(dst, []).append(sym)
    return graph


def cycles(graph):
    """Strongly connected groups of more than one node (Tarjan)."""
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]
    nodes = set(graph) | {d for ds in graph.values() for d in ds}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return groups


def check_cycles(top, library):
    graph = symbol_graph(top, library)
    problems = [f"{a} uses {', '.join(sorted(syms)[:3])} of {b}: a {NAMES[layer_of(a)]} file "
                f"calls into the {NAMES[layer_of(b)]} layer"
                for a in sorted(graph) for b, syms in sorted(graph[a].items())
                if layer_of(b) > layer_of(a)]
    for group in cycles(graph):
        links = [f"{a} -> {b} ({', '.join(sorted(graph[a][b])[:3])})"
                 for a in group for b in sorted(graph.get(a, {})) if b in group]
        problems.append("file cycle: " + "; ".join(links))
    return problems


def self_test():
    """The checks find a wrong include and a cycle in a made-up tree."""
    with tempfile.TemporaryDirectory() as top:
        files = {"sim/core/a.h": '#include "m.h"\n', "models/m.h": '#include "a.h"\n',
                 "models/engine/e.c": '#include "c.h"\n', "sim/cmd/c.h": "",
                 "sim/cmd/ok.c": '#include "a.h"\n#include "m.h"\n'}
        for rel, text in files.items():
            os.makedirs(os.path.join(top, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(top, rel), "w") as f:
                f.write(text)
        found = check_includes(top)
        assert len(found) == 2 and "sim/core/a.h:1" in found[1] + found[0], found
        assert any("models/engine/e.c:1" in p for p in found), found
    graph = {"a.c": {"b.c": ["f"]}, "b.c": {"c.c": ["g"]}, "c.c": {"a.c": ["h"]}, "d.c": {"a.c": ["i"]}}
    assert cycles(graph) == [["a.c", "b.c", "c.c"]], cycles(graph)
    assert cycles({"a.c": {"b.c": ["f"]}}) == []


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    self_test()
    top = sys.argv[1]
    problems = check_includes(top)
    if len(sys.argv) == 3:
        problems += check_cycles(top, sys.argv[2])
    for p in problems:
        print(p)
    nfiles = len(source_files(top))
    print(f"check_layers: {nfiles} files, {len(problems)} problem(s)"
          + ("" if len(sys.argv) == 3 else " (includes only; no library given for the cycle check)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
