"""The versions litehrnet_mm needs, checked when it is imported, before
anything of those packages is loaded, so that a wrong environment fails
with a sentence rather than an ``AttributeError`` from deep inside.

The same bounds are declared in ``setup.cfg`` (a test holds them equal).
The stack it is tested with is pinned in ``requirements/constraints.txt``.
"""
import re
import sys
from importlib import metadata
from typing import Callable, Optional, Tuple

PYTHON = (3, 9)  # torch 2.6's own minimum

# distribution: (lowest version, first version not supported or None,
# what needs the bound)
REQUIREMENTS = {
    'torch': ('2.6', None,
              "torch.export-based ONNX export (torch.onnx.export(dynamo="
              "True, dynamic_shapes=...)) and checkpoint loading with "
              "weights_only=True and "
              "torch.serialization.get_unsafe_globals_in_checkpoint"),
    'mmengine': ('0.10.0', '1.0.0', "the runner, hooks and config API of "
                 'mmengine 0.10'),
    'mmcv': ('2.0.0', '2.2.0', 'mmpose 1.x and the mmdet 3.x it imports '
             'accept mmcv 2.0 and 2.1'),
    'mmpose': ('1.1.0', '1.4.0', "mmpose 1.x's Lite-HRNet modules, heads, "
               'codecs and inference API'),
}


def _release(version: str) -> Tuple[int, ...]:
    """The leading numbers of a version string (``'2.14.1+cu130'`` →
    ``(2, 14, 1)``, ``'2.0.0rc4'`` → ``(2, 0, 0)``)."""
    match = re.match(r'\d+(?:\.\d+)*', version)
    return tuple(int(n) for n in match.group().split('.')) if match else ()


def check_dependencies(
        version: Callable[[str], str] = metadata.version,
        python: Tuple[int, ...] = tuple(sys.version_info[:3])) -> None:
    """Raise an ImportError naming every package whose installed version
    is outside :data:`REQUIREMENTS` (or missing), and what needs it.

    Args:
        version (callable): Installed version of a distribution (for
            tests). Defaults to ``importlib.metadata.version``.
        python (tuple[int]): The Python version (for tests). Defaults to
            the running interpreter's.
    """
    problems = []
    if tuple(python[:2]) < PYTHON:
        problems.append(f'Python >= {PYTHON[0]}.{PYTHON[1]} (found '
                        f"{'.'.join(map(str, python))}), as torch 2.6 needs")
    for name, (low, below, needed_by) in REQUIREMENTS.items():
        found = _installed(version, name)
        wanted = f'{name}>={low}' + (f',<{below}' if below else '')
        if found is None:
            problems.append(f'{wanted} (not installed), for {needed_by}')
        elif _release(found) < _release(low) or (
                below and _release(found) >= _release(below)):
            problems.append(f'{wanted} (found {found}), for {needed_by}')
    if problems:
        raise ImportError(
            'litehrnet_mm needs ' + '; '.join(problems) + '. `bash '
            'tools/setup_env.sh` installs the tested stack '
            '(requirements/constraints.txt).')


def _installed(version: Callable[[str], str], name: str) -> Optional[str]:
    try:
        return version(name)
    except metadata.PackageNotFoundError:
        return None
