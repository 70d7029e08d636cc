"""Training stops at the first non-finite loss, naming the iteration and
the loss term, and the last good checkpoint stays as it was."""
import pytest
from helpers import COCO_CONFIG, build_runner


def test_nan_loss_stops_training_and_keeps_the_last_checkpoint(
        coco_root, tmp_path):
    hooks = dict(checkpoint=dict(interval=1, save_best=None))
    build_runner(COCO_CONFIG, coco_root, tmp_path,
                 train_cfg=dict(max_epochs=1),
                 default_hooks=hooks).train()
    good = (tmp_path / 'epoch_1.pth').read_bytes()
    runner = build_runner(
        COCO_CONFIG, coco_root, tmp_path, train_cfg=dict(max_epochs=2),
        default_hooks=hooks, resume=True,
        model=dict(head=dict(loss=dict(loss_weight=float('nan')))))
    with pytest.raises(FloatingPointError) as error:
        runner.train()
    message = str(error.value)
    iters_per_epoch = len(runner.train_dataloader)
    assert f'iteration {iters_per_epoch + 1} (epoch 2, batch 1' in message
    assert 'loss_kpt = nan' in message
    assert 'epoch_1.pth' in message and 'intact' in message
    assert (tmp_path / 'epoch_1.pth').read_bytes() == good
    assert not (tmp_path / 'epoch_2.pth').exists()
    assert (tmp_path / 'last_checkpoint').read_text().endswith('epoch_1.pth')
