"""Core is the ground floor: every app builds on it, and it imports none of them (only the key store and the WSGI
entry point, and the start of the job worker beside the server, which are infrastructure)."""

from __future__ import annotations

import ast
from pathlib import Path

import liaison.core

ALLOWED = {"liaison.core", "liaison.keys", "liaison.wsgi", "liaison.tasks.process"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("liaison.")}


def test_core_imports_no_domain_app() -> None:
    root = Path(liaison.core.__file__).parent
    offences = {
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for name in _imports(path)
        if not any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED)
    }
    assert offences == set()
