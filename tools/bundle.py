"""Turn ``from snippets.x import f`` into the source of ``f`` and everything it uses.

A page shows its helpers in a collapsed block and a reader copies them into a
fresh Python that has only NumPy and Matplotlib. This module builds that block
from the files in ``snippets/``: it resolves each imported name to its
top-level definition, follows the names the definition uses (within the same
module and across ``snippets`` imports), collects the third-party imports they
need, and prints the definitions dependencies-first. Doctest ``Examples``
sections are dropped from docstrings, so no ``>>>`` prompt reaches the page.
"""

from __future__ import annotations

import ast
import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "snippets"


class BundleError(ValueError):
    """A page's imports cannot be turned into standalone code."""


@dataclass
class Module:
    name: str                      # e.g. "activations"
    path: Path
    lines: list[str]
    defs: dict[str, ast.stmt] = field(default_factory=dict)
    external: dict[str, str] = field(default_factory=dict)      # local name -> import line
    internal: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (mod, name)


def _internal_module(node: ast.ImportFrom, current: str) -> str | None:
    """Module name inside the package for ``from snippets.x import`` / ``from .x import``."""
    mod = node.module or ""
    if node.level:
        return mod or None
    if mod == PACKAGE:
        raise BundleError(f"snippets/{current}.py: import from a submodule, not from {PACKAGE!r}")
    if mod.startswith(PACKAGE + "."):
        return mod[len(PACKAGE) + 1:]
    return None


def _import_line(node: ast.stmt, alias: ast.alias) -> str:
    asname = f" as {alias.asname}" if alias.asname else ""
    if isinstance(node, ast.Import):
        return f"import {alias.name}{asname}"
    return f"from {node.module} import {alias.name}{asname}"


def parse_imports(node: ast.stmt, current: str, module: Module) -> None:
    """Record what one import statement binds."""
    for alias in node.names:
        if isinstance(node, ast.ImportFrom) and (sub := _internal_module(node, current)):
            if alias.asname and alias.asname != alias.name:
                raise BundleError(f"snippets/{current}.py: 'as' renames {alias.name}; "
                                  "import snippets names unrenamed")
            module.internal[alias.name] = (sub, alias.name)
        else:
            local = alias.asname or alias.name.split(".")[0]
            module.external[local] = _import_line(node, alias)


@functools.lru_cache(maxsize=None)
def _load(name: str, text: str) -> Module:
    path = ROOT / PACKAGE / (name.replace(".", "/") + ".py")
    tree = ast.parse(text, filename=str(path))
    module = Module(name, path, text.splitlines())
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            parse_imports(node, name, module)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            module.defs[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        module.defs[sub.id] = node
    return module


def load_module(name: str) -> Module:
    path = ROOT / PACKAGE / (name.replace(".", "/") + ".py")
    if not path.is_file():
        raise BundleError(f"no module snippets/{name}.py")
    return _load(name, path.read_text(encoding="utf-8"))


def _names_used(node: ast.AST) -> list[str]:
    seen = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in seen:
            seen.append(sub.id)
    return seen


def _strip_examples(node: ast.stmt, lines: list[str], first: int) -> list[str]:
    """Source lines of ``node`` without the ``Examples`` sections of its docstrings."""
    out = list(lines)
    drops = []
    for sub in ast.walk(node):
        if not isinstance(sub, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            continue
        doc = sub.body[0] if sub.body else None
        if not (isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)):
            continue
        start, end = doc.lineno - first, doc.end_lineno - first
        for i in range(start, end):
            if out[i].strip() == "Examples" and out[i + 1].strip().startswith("---"):
                if out[end].strip() not in ('"""', "'''"):
                    raise BundleError(f"{sub.name}: put the closing quotes of a docstring "
                                      "with Examples on their own line")
                cut = i - 1 if out[i - 1].strip() == "" else i
                drops.append((cut, end))
                break
    for cut, end in sorted(drops, reverse=True):
        del out[cut:end]
        opening = out[cut - 1]
        if cut >= 1 and opening.strip().startswith(('"""', "'''")) and len(opening.strip()) > 3:
            out[cut - 1:cut + 1] = [opening + out[cut].strip()]  # one-line docstring again
    return out


def definition_source(module: Module, name: str) -> str:
    node = module.defs[name]
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    lines = module.lines[first - 1:node.end_lineno]
    return "\n".join(_strip_examples(node, lines, first))


def bundle(requests: list[tuple[str, str]], extra_imports: list[str] = ()) -> str:
    """Standalone source that defines every requested ``(module, name)``.

    Examples
    --------
    >>> src = bundle([("activations", "relu")])
    >>> "def relu(" in src and "def as_float_array(" in src and ">>>" not in src
    True
    """
    order: list[tuple[str, str]] = []
    imports: list[str] = list(dict.fromkeys(extra_imports))
    owner: dict[str, tuple[str, str]] = {}
    visiting: set[tuple[str, str]] = set()
    uses: dict[str, set[str]] = {}   # module -> modules it takes definitions from

    def visit(mod_name: str, name: str, via: str) -> None:
        key = (mod_name, name)
        if key in order or key in visiting:
            return
        module = load_module(mod_name)
        if name not in module.defs:
            if name in module.internal:  # re-exported from another snippets module
                return visit(*module.internal[name], via)
            raise BundleError(f"snippets/{mod_name}.py defines no {name!r} (needed by {via})")
        if name in owner and owner[name] != key:
            other = owner[name]
            raise BundleError(f"two helpers named {name!r}: snippets/{other[0]}.py and "
                              f"snippets/{mod_name}.py; rename one")
        owner[name] = key
        visiting.add(key)
        node = module.defs[name]
        for used in _names_used(node):
            if used == name:
                continue
            if used in module.defs:
                visit(mod_name, used, f"{mod_name}.{name}")
            elif used in module.internal:
                uses.setdefault(mod_name, set()).add(module.internal[used][0])
                visit(*module.internal[used], f"{mod_name}.{name}")
            elif used in module.external and module.external[used] not in imports:
                imports.append(module.external[used])
        visiting.discard(key)
        order.append(key)

    for mod_name, name in requests:
        visit(mod_name, name, "the page")
    # Emit module by module (dependencies first), each in its own source order,
    # so module-level assignments still follow what they refer to.
    mod_order: list[str] = []

    def place(mod: str) -> None:
        if mod not in mod_order:
            for dep in sorted(uses.get(mod, ())):
                place(dep)
            mod_order.append(mod)

    for mod in dict.fromkeys(mod for mod, _ in order):
        place(mod)
    blocks = [_sorted_imports(imports)] if imports else []
    for mod_name in mod_order:
        module = load_module(mod_name)
        names = sorted((n for m, n in order if m == mod_name),
                       key=lambda n: module.defs[n].lineno)
        sources = list(dict.fromkeys(definition_source(module, n) for n in names))
        blocks.append(f"# ---- snippets/{mod_name}.py ----\n" + "\n\n\n".join(sources))
    return "\n\n\n".join(blocks) + "\n"


def _sorted_imports(lines: list[str]) -> str:
    def rank(line: str) -> tuple[int, str]:
        top = line.split()[1].split(".")[0]
        return (0 if top in sys.stdlib_module_names else 1, line)
    return "\n".join(sorted(dict.fromkeys(lines), key=rank))
