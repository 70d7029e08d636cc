"""Load checkpoints with ``torch.load(weights_only=True)``, the default of
torch >= 2.6, including those mmengine's runner writes.

A runner checkpoint holds, besides tensors, the message hub's logs
(``HistoryBuffer`` objects with numpy arrays and scalars). PyTorch's
restricted unpickler refuses those unless they are allow-listed; the usual
workaround, ``weights_only=False``, would run whatever a downloaded file's
pickle asks for. Instead, exactly the types the runner writes are named
here, and a local checkpoint loader keeps ``weights_only=True`` and says
clearly why a file was refused; :mod:`litehrnet_mm.patches` installs both
when ``litehrnet_mm`` is imported.
"""
import os.path as osp
import pickle
from typing import Any, List, Tuple

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

from litehrnet_mm.checkpoint.weights_fit import mark_weights_source

# the names numpy's pickles use for the array and scalar constructors, under
# numpy 1.x and 2.x
_NUMPY_PICKLE_MODULES = ('numpy.core.multiarray', 'numpy._core.multiarray')


def _history_buffer_statistic(owner: Any, name: str) -> Any:
    """Stand-in for ``getattr`` while unpickling a checkpoint.

    A ``HistoryBuffer`` pickles its statistics methods as
    ``getattr(HistoryBuffer, 'mean')``; a general ``getattr`` would let a
    pickle reach any attribute of any object (and from there any module), so
    only these look-ups are answered.
    """
    if (isinstance(owner, type) and issubclass(owner, HistoryBuffer)
            and name in ('min', 'max', 'current', 'mean')):
        return getattr(owner, name)
    raise pickle.UnpicklingError(
        f'getattr({owner!r}, {name!r}) is not a HistoryBuffer statistic')


def runner_checkpoint_globals() -> List[Tuple[Any, str]]:
    """The globals that mmengine's runner and mmpose write into checkpoints,
    each with the name its pickle refers to it by.

    Returns:
        list[tuple]: ``(object, 'module.name')`` pairs, the form
        ``torch.serialization.add_safe_globals`` takes.
    """
    multiarray = np.core.multiarray
    pairs = [
        (HistoryBuffer, 'mmengine.logging.history_buffer.HistoryBuffer'),
        (_history_buffer_statistic, 'builtins.getattr'),
        (np.ndarray, 'numpy.ndarray'),
        (np.dtype, 'numpy.dtype'),
    ]
    for module in _NUMPY_PICKLE_MODULES:
        pairs += [(multiarray._reconstruct, f'{module}._reconstruct'),
                  (multiarray.scalar, f'{module}.scalar')]
    # a numpy dtype is rebuilt as an instance of its class (numpy >= 1.25):
    # the inert numeric ones that dataset metainfo and logs hold
    for code in '?bhilqBHILQefd':
        dtype_class = type(np.dtype(code))
        pairs.append((dtype_class, f'numpy.dtypes.{dtype_class.__name__}'))
    return pairs


class CheckpointLoadError(RuntimeError):
    """A checkpoint file that cannot be loaded, and why."""


class UnsafeCheckpointError(CheckpointLoadError, pickle.UnpicklingError):
    """A checkpoint whose pickle would run code or build unknown objects."""


# what PyTorch's restricted unpickler says when a pickle asks for a function
# or a class it does not allow
_REFUSALS = ('Unsupported global', 'unsupported GLOBAL',
             'Trying to call reduce', 'Can only build',
             'Can only create new object')


def load_local_checkpoint(filename: str, map_location=None) -> Any:
    """Load a local checkpoint with ``torch.load(weights_only=True)``.

    Installed on import as mmengine's loader for local files
    (:mod:`litehrnet_mm.patches`), so every path
    that loads weights through mmengine (``load_from``, ``--resume``,
    ``tools/test.py``, ``init_model``, the inferencers) uses it.

    Args:
        filename (str): Path of the checkpoint.
        map_location: As for ``torch.load``.

    Returns:
        The checkpoint (usually a dict), its state dict marked with the file
        it came from (:func:`mark_weights_source`) for the modules that
        refuse weights not their own.

    Raises:
        FileNotFoundError: The file does not exist.
        IsADirectoryError: The path is a folder.
        UnsafeCheckpointError: The pickle asks to call functions or build
            objects other than the allow-listed ones; nothing was run.
        CheckpointLoadError: The file is truncated, corrupt, or not a
            PyTorch checkpoint.
    """
    filename = osp.expanduser(filename)
    if osp.isdir(filename):
        raise IsADirectoryError(
            f'Checkpoint {filename} is a folder; give the path of a '
            'checkpoint file in it (e.g. its best_*.pth or epoch_*.pth)')
    if not osp.isfile(filename):
        raise FileNotFoundError(f'Checkpoint {filename} can not be found.')
    try:
        checkpoint = torch.load(
            filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        reason = str(error)
        if any(refusal in reason for refusal in _REFUSALS):
            raise UnsafeCheckpointError(
                f'Checkpoint {filename} was not loaded: it contains code. Its '
                f'pickle asks for {_named_globals(filename)}, which a '
                'checkpoint of weights never needs, and nothing of it was '
                'run. Load only files you trust; to inspect this one, see '
                'torch.serialization.get_unsafe_globals_in_checkpoint.'
            ) from None
        raise CheckpointLoadError(
            f'{filename} is not a PyTorch checkpoint ({_last_line(reason)})'
        ) from None
    except (RuntimeError, EOFError, OSError, ValueError) as error:
        raise CheckpointLoadError(
            f'Checkpoint {filename} is truncated or corrupt and was not '
            f'loaded ({_last_line(str(error))})') from None
    return mark_weights_source(checkpoint, filename)


def _named_globals(filename: str) -> str:
    """The functions and classes a pickle refers to that are not allowed."""
    try:
        names = torch.serialization.get_unsafe_globals_in_checkpoint(filename)
    except Exception:  # an unreadable pickle names nothing more
        names = []
    allowed = {name for _, name in runner_checkpoint_globals()}
    names = [n for n in names if n not in allowed]
    return ', '.join(names) if names else 'objects it may not build'


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    return lines[-1] if lines else text
