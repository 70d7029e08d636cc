"""Runner checkpoints load with weights_only=True; code in a pickle does
not run."""
import pickle

import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import load_checkpoint

from litehrnet_mm.checkpoint import runner_checkpoint_globals
from litehrnet_mm.checkpoint.safe_loading import (
    CheckpointLoadError,
    UnsafeCheckpointError,
    _history_buffer_statistic,
)


def test_a_runner_checkpoint_needs_only_the_allowed_globals(mim_trained):
    """Fails when mmengine or mmpose start writing a new type."""
    checkpoint = mim_trained[0] / 'epoch_1.pth'
    allowed = {name for _, name in runner_checkpoint_globals()}
    needed = set(torch.serialization.get_unsafe_globals_in_checkpoint(
        checkpoint))
    assert needed - allowed == set()
    loaded = torch.load(checkpoint, map_location='cpu')  # weights_only
    assert {'meta', 'state_dict', 'message_hub', 'optimizer',
            'param_schedulers'} <= set(loaded)
    history = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(history, HistoryBuffer) and len(history.data[0]) > 0


class _RunsAShellCommand:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return os.system, (f'touch {self.marker}', )


@pytest.fixture
def evil_checkpoint(tmp_path):
    """A checkpoint whose pickle runs `touch <marker>` when loaded."""
    marker = tmp_path / 'pwned'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'payload': _RunsAShellCommand(marker)},
               path)
    return path, marker


def test_a_pickle_that_calls_a_function_is_refused(evil_checkpoint):
    path, marker = evil_checkpoint
    with pytest.raises(pickle.UnpicklingError, match='system'):
        torch.load(path)
    with pytest.raises(UnsafeCheckpointError) as error:
        load_checkpoint(torch.nn.Linear(2, 2), str(path))
    message = str(error.value)
    assert str(path) in message and 'contains code' in message
    assert 'posix.system' in message or 'os.system' in message
    assert 'nothing of it was run' in message
    assert not marker.exists()


def test_a_truncated_checkpoint_is_named(mim_trained, tmp_path):
    data = (mim_trained[0] / 'epoch_1.pth').read_bytes()
    path = tmp_path / 'truncated.pth'
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(CheckpointLoadError,
                       match=f'{path} is truncated or corrupt'):
        load_checkpoint(torch.nn.Linear(2, 2), str(path))


def test_a_file_that_is_not_a_checkpoint_is_named(tmp_path):
    path = tmp_path / 'annotations.json'
    path.write_text('{"images": []}')
    with pytest.raises(CheckpointLoadError,
                       match=f'{path} is not a PyTorch checkpoint'):
        load_checkpoint(torch.nn.Linear(2, 2), str(path))


def test_a_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere.pth can not be'):
        load_checkpoint(torch.nn.Linear(2, 2), str(tmp_path / 'nowhere.pth'))


def test_getattr_is_answered_for_history_buffer_statistics_only():
    assert _history_buffer_statistic(HistoryBuffer, 'mean') is \
        HistoryBuffer.mean
    for owner, name in [(HistoryBuffer, '__init__'), (HistoryBuffer(),
                                                      'mean'),
                        (torch, 'load'), (HistoryBuffer, '__globals__')]:
        with pytest.raises(pickle.UnpicklingError):
            _history_buffer_statistic(owner, name)
