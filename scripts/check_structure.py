#!/usr/bin/env python3
"""Structure checks run by `make lint` (and so by `make test`), beside ruff and import-linter.

1. One unit of work: nothing in `app/` calls `commit()` on a database session except
   `app/core/unit_of_work.py`, and only the operational entry points (CLI commands, the outbox
   and search queue processors) open a `transaction()` of their own. Services flush.
2. Small files: no Python file in `app/` is longer than 400 lines.
3. Thin views: no route function is longer than 30 lines (decorators and docstring included).

Prints each problem as `path:line: message` and exits 1 if there is any.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
UNIT_OF_WORK = APP / "core" / "unit_of_work.py"
# Entry points that are units of work of their own (they run after a request's work committed).
MAY_OPEN_TRANSACTION = {APP / "cli.py", APP / "core" / "notifications.py", APP / "search" / "queue.py"}
MAX_FILE_LINES = 400
MAX_VIEW_LINES = 30
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _is_session_commit(node: ast.Call) -> bool:
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "commit"):
        return False
    owner = func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "session") or (
        isinstance(owner, ast.Name) and owner.id in {"session", "db_session"})


def _opens_transaction(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom) and node.module == "app.core.unit_of_work":
        return any(alias.name == "transaction" for alias in node.names)
    if isinstance(node, ast.Attribute) and node.attr == "transaction":
        return isinstance(node.value, ast.Name) and node.value.id == "unit_of_work"
    return False


def _is_route(func: ast.FunctionDef) -> bool:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS:
            return True
    return False


def problems_in(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    found = []
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > MAX_FILE_LINES:
        found.append(f"{rel}:1: {lines} lines (at most {MAX_FILE_LINES}: split it by what each part does)")
    tree = ast.parse(text, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_session_commit(node) and path != UNIT_OF_WORK:
            found.append(f"{rel}:{node.lineno}: commit() outside the unit of work (services flush; "
                         "app/core/unit_of_work.py commits)")
        if _opens_transaction(node) and path not in MAY_OPEN_TRANSACTION and path != UNIT_OF_WORK:
            found.append(f"{rel}:{node.lineno}: only CLI commands and background processors open a transaction")
        if isinstance(node, ast.FunctionDef) and _is_route(node):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            length = node.end_lineno - start + 1
            if length > MAX_VIEW_LINES:
                found.append(f"{rel}:{node.lineno}: view {node.name} is {length} lines (at most {MAX_VIEW_LINES}: "
                             "move the work into the service or a helper)")
    return found


def main(paths: list[str]) -> int:
    files = [Path(p).resolve() for p in paths] if paths else sorted(APP.rglob("*.py"))
    found = [problem for path in files for problem in problems_in(path)]
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} structure problem(s).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
