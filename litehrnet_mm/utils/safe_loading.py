"""Load checkpoints with ``torch.load(weights_only=True)``, the default of
torch >= 2.6, including those mmengine's runner writes.

A runner checkpoint holds, besides tensors, the message hub's logs
(``HistoryBuffer`` objects with numpy arrays and scalars). PyTorch's
restricted unpickler refuses those unless they are allow-listed; the usual
workaround, ``weights_only=False``, would run whatever a downloaded file's
pickle asks for. Instead, exactly the types the runner writes are allowed
here, once, when ``litehrnet_mm`` is imported.
"""
import pickle
from typing import Any, List, Tuple

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

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


def allow_runner_checkpoints() -> None:
    """Allow-list :func:`runner_checkpoint_globals` for ``torch.load``."""
    torch.serialization.add_safe_globals(runner_checkpoint_globals())
