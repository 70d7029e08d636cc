"""What ``import litehrnet_mm`` changes outside this package, and why.

Importing the package calls :func:`apply_patches`, which makes three
changes to torch's and mmengine's state, each only once however often it is
called; :func:`undo_patches` puts back what was there (for tests, or a
process that wants mmengine's behaviour again).

1. **torch's safe globals** (``torch.serialization.add_safe_globals``):
   the types mmengine's runner pickles into a checkpoint (its message hub's
   ``HistoryBuffer`` with numpy arrays, scalars and dtypes;
   :func:`~litehrnet_mm.checkpoint.safe_loading.runner_checkpoint_globals`).
   Fixes: torch >= 2.6 loads with ``weights_only=True`` by default, which
   refuses every checkpoint mmengine 0.10.x writes (``--resume``,
   ``load_from``, ``init_model`` fail with an ``UnpicklingError``).
2. **mmengine's loader for local files** (``CheckpointLoader``'s scheme
   ``''``, registered with ``force=True``) becomes
   :func:`~litehrnet_mm.checkpoint.safe_loading.load_local_checkpoint`. Fixes:
   mmengine 0.10.x calls ``torch.load`` without ``weights_only``, so the
   usual workaround for (1) is ``weights_only=False``, which runs whatever a
   downloaded pickle asks for; ours keeps ``weights_only=True`` and says why
   a file was refused (missing, a folder, truncated, or code in it).
3. **mmengine's** ``MODULE2PACKAGE`` gets ``'litehrnet_mm'``. Fixes:
   mmengine (up to 0.10.7 at least) resolves a ``package::`` config prefix
   only for the OpenMMLab packages in that table, so other projects could
   not write ``_base_ = ['litehrnet_mm::...']``.

Registrations under this package's own names are not patches and are not
listed here: the registry scope ``litehrnet_mm`` and its modules, and
mmengine's file backend ``'litehrnet_mm_atomic_local'``
(:class:`~litehrnet_mm.engine.hooks.atomic_checkpoint_hook.AtomicLocalBackend`).
"""
from typing import Any, Dict

import torch
from mmengine.config.utils import MODULE2PACKAGE
from mmengine.runner.checkpoint import CheckpointLoader

from litehrnet_mm.checkpoint.safe_loading import (
    load_local_checkpoint,
    runner_checkpoint_globals,
)
from litehrnet_mm.registry import SCOPE

# what apply_patches added or found, to take back; empty while no patch is
# applied
_saved: Dict[str, Any] = {}


def apply_patches() -> None:
    """Make the three changes of this module's docstring; a second call
    changes nothing."""
    if _saved:
        return
    before = set(torch.serialization.get_safe_globals())
    _saved['safe_globals'] = [
        g for g in runner_checkpoint_globals() if g not in before]
    _saved['local_loader'] = CheckpointLoader._schemes.get('')
    _saved['module2package'] = MODULE2PACKAGE.get(SCOPE)
    torch.serialization.add_safe_globals(_saved['safe_globals'])
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
    MODULE2PACKAGE[SCOPE] = 'litehrnet_mm'


def undo_patches() -> None:
    """Take back the safe globals :func:`apply_patches` added (others'
    stay), and put back mmengine's local loader and its ``MODULE2PACKAGE``
    entry as :func:`apply_patches` found them."""
    if not _saved:
        return
    ours = set(_saved['safe_globals'])
    kept = [g for g in torch.serialization.get_safe_globals()
            if g not in ours]
    torch.serialization.clear_safe_globals()
    torch.serialization.add_safe_globals(kept)
    if _saved['local_loader'] is None:
        CheckpointLoader._schemes.pop('', None)
    else:
        CheckpointLoader.register_scheme(
            prefixes='', loader=_saved['local_loader'], force=True)
    if _saved['module2package'] is None:
        MODULE2PACKAGE.pop(SCOPE, None)
    else:
        MODULE2PACKAGE[SCOPE] = _saved['module2package']
    _saved.clear()


def patches_applied() -> bool:
    """Whether :func:`apply_patches` is in effect."""
    return bool(_saved)
