"""The tools load their libraries with the garbage collector off, then
freeze what they loaded and switch it on again."""
import ast
import gc

import pytest
from helpers import REPO

from litehrnet_mm.cli.startup import libraries_loaded

# the tools that load torch, mmengine and mmpose (through this package)
TOOLS = sorted(
    path for pattern in ('tools/**/*.py', 'projects/*/tools/*.py')
    for path in REPO.glob(pattern) if 'litehrnet_mm' in path.read_text())


def test_libraries_loaded_freezes_and_switches_the_collector_on():
    gc.disable()
    frozen = gc.get_freeze_count()
    made_since = [{} for _ in range(100)]  # tracked by the collector
    libraries_loaded()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(made_since)


def _is_call(node, name):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == name)


@pytest.mark.parametrize('path', TOOLS, ids=lambda p: str(
    p.relative_to(REPO)))
def test_every_tool_switches_the_collector_on_after_its_imports(path):
    """A tool that switched the collector off and not on again would run
    without it: memory held by reference cycles would never be freed."""
    body = ast.parse(path.read_text()).body[1:]  # after the docstring
    assert ast.unparse(body[0]) == 'import gc' and _is_call(
        body[1], 'gc.disable'), f'{path}: does not start with gc.disable()'
    imports = [isinstance(n, (ast.Import, ast.ImportFrom)) for n in body]
    last_import = len(imports) - 1 - imports[::-1].index(True)
    assert _is_call(body[last_import + 1], 'libraries_loaded'), (
        f'{path}: libraries_loaded() does not follow its last import')
