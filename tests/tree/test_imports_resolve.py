"""A static import resolver (jedi, as editors and language servers use it) follows every `privatune.*` import.

The top-level folders are mapped onto subpackages (pyproject `package-dir`); a default editable install
serves that mapping through an import hook that static tools cannot see, so `privatune.kernels.lora`
would not resolve. The strict editable install of README/.ci (a symlink tree on a static path) and a
regular install both make every import visible; this test fails when that breaks.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

jedi = pytest.importorskip("jedi", reason="jedi is in the test extra")

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("privatune", "client", "server", "kernels", "privacy", "tests", "benchmarks", "simulations")


def _privatune_imports() -> dict[tuple[str, str | None], str]:
    """{(module, imported name or None): first place it is imported} over the whole tree."""
    found: dict[tuple[str, str | None], str] = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "build" in path.parts or "__pycache__" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] == "privatune":
                            found.setdefault((alias.name, None), where)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                        and node.module.split(".")[0] == "privatune":
                    for alias in node.names:
                        if alias.name != "*":
                            found.setdefault((node.module, alias.name), where)
    return found


def _resolves(env, project, module: str, name: str | None) -> bool:
    code = f"import {module}\n" if name is None else f"from {module} import {name}\n"
    script = jedi.Script(code, environment=env, project=project)
    definitions = script.goto(1, len(code) - 1, follow_imports=True)
    return any(d.module_path is not None and Path(d.module_path).resolve().is_relative_to(ROOT)
               for d in definitions)


def test_a_static_resolver_follows_every_privatune_import():
    env = jedi.create_environment(sys.executable, safe=False)
    # The repository root's own `privatune/` folder is not the package (the subpackages live in the
    # top-level folders): resolve through the installed environment only, as a tool outside the tree would.
    project = jedi.Project(ROOT, smart_sys_path=False)
    imports = _privatune_imports()
    assert len(imports) > 100  # the walk saw the tree
    unresolved = [f"{where}: {module}{'' if name is None else ' → ' + name}"
                  for (module, name), where in sorted(imports.items(), key=lambda kv: kv[1])
                  if not _resolves(env, project, module, name)]
    assert not unresolved, ("a static resolver cannot follow these imports (install with "
                            "`pip install -e . --config-settings editable_mode=strict`):\n" + "\n".join(unresolved))
