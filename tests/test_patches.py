"""What ``import litehrnet_mm`` changes in torch and mmengine: each change
in place after import, applied once however often asked, and reversible."""
import pickle

import numpy as np
import pytest
import torch
from mmengine.config.utils import MODULE2PACKAGE
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

import litehrnet_mm  # noqa: F401
from litehrnet_mm.checkpoint.safe_loading import load_local_checkpoint
from litehrnet_mm.patches import apply_patches, patches_applied, undo_patches


def _state():
    return (set(torch.serialization.get_safe_globals()),
            CheckpointLoader._schemes[''], MODULE2PACKAGE.get('litehrnet_mm'))


@pytest.fixture
def runner_checkpoint(tmp_path):
    """A checkpoint as mmengine's runner writes it: weights and the message
    hub's history, numpy inside."""
    history = HistoryBuffer()
    history.update(0.5)
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(2)),
                    message_hub=dict(log_scalars=dict(loss=history),
                                     runtime_info=dict(
                                         epoch=np.int64(1)))), path)
    return str(path)


def test_import_applies_the_three_patches_once():
    assert patches_applied()
    safe_globals, loader, package = _state()
    assert HistoryBuffer in [g[0] if isinstance(g, tuple) else g
                             for g in safe_globals]
    assert loader is load_local_checkpoint
    assert package == 'litehrnet_mm'
    apply_patches()
    assert _state() == (safe_globals, loader, package)


def test_undo_puts_back_what_was_there_and_apply_fixes_it_again(
        runner_checkpoint):
    patched = _state()
    undo_patches()
    try:
        assert not patches_applied()
        safe_globals, loader, package = _state()
        assert loader is not load_local_checkpoint
        assert loader.__module__ == 'mmengine.runner.checkpoint'
        assert package is None
        assert len(safe_globals) < len(patched[0])
        # mmengine alone cannot read its own runner's checkpoint under
        # torch's weights_only default: what patches 1 and 2 fix
        with pytest.raises(pickle.UnpicklingError):
            CheckpointLoader.load_checkpoint(runner_checkpoint)
        undo_patches()  # a second undo changes nothing
        assert _state() == (safe_globals, loader, package)
    finally:
        apply_patches()
    assert _state() == patched
    checkpoint = CheckpointLoader.load_checkpoint(runner_checkpoint)
    assert checkpoint['message_hub']['log_scalars']['loss'].current() == 0.5
