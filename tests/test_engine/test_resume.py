"""A run stopped after an epoch and resumed ends exactly where the
uninterrupted run does: weights, optimizer, schedulers and logs, with the
shipped configs' loader settings (2 persistent workers) and in the main
process."""
import pytest
import torch
from helpers import SYNTHETIC_CONFIG, build_runner


def _train(coco_root, work_dir, max_epochs, workers, resume=False,
           seed=0):
    runner = build_runner(
        SYNTHETIC_CONFIG, coco_root, work_dir,
        train_cfg=dict(max_epochs=max_epochs, val_interval=100),
        train_dataloader=dict(num_workers=workers,
                              persistent_workers=workers > 0),
        randomness=dict(seed=seed, deterministic=True),
        default_hooks=dict(checkpoint=dict(interval=1, save_best=None)),
        resume=resume)
    runner.train()
    # The persistent loader workers are shut down here: left to the garbage
    # collector (the runner sits in reference cycles), torch's shutdown
    # finds its queues already closed and waits 5 s for each worker before
    # killing it, in whichever test the collection happens.
    iterator = runner.train_dataloader._iterator
    if iterator is not None:
        iterator._shutdown_workers()
    return torch.load(work_dir / f'epoch_{max_epochs}.pth')


def _assert_same(a, b, path='checkpoint'):
    if torch.is_tensor(a):
        assert torch.equal(a, b), path
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _assert_same(a[key], b[key], f'{path}.{key}')
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_same(x, y, f'{path}[{i}]')
    else:
        assert a == b, path


# the shipped configs: num_workers=2, persistent_workers=True
@pytest.mark.parametrize('workers', [0, 2])
def test_resume_is_bit_exact(coco_root, tmp_path, workers):
    straight = _train(coco_root, tmp_path / 'straight', 2, workers)
    _train(coco_root, tmp_path / 'stopped', 1, workers)
    # no seed given: the resumed run takes the checkpoint's, sampler too
    resumed = _train(coco_root, tmp_path / 'stopped', 2, workers,
                     resume=True, seed=None)
    _assert_same(straight['state_dict'], resumed['state_dict'], 'weights')
    _assert_same(straight['optimizer'], resumed['optimizer'], 'optimizer')
    _assert_same(straight['param_schedulers'], resumed['param_schedulers'],
                 'schedulers')
    for key in ('train/loss', 'train/loss_kpt', 'train/acc_pose',
                'train/lr'):
        logs = [c['message_hub']['log_scalars'][key].data for c in
                (straight, resumed)]
        _assert_same(logs[0][0].tolist(), logs[1][0].tolist(), key)
    assert straight['meta']['epoch'] == resumed['meta']['epoch'] == 2
    assert straight['meta']['iter'] == resumed['meta']['iter']
