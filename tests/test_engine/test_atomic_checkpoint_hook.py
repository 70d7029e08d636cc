"""Checkpoints survive a killed run: files appear whole or not at all, are
removed only after their successor is complete, `last_checkpoint` always
names a loadable file, and a full disk is a clear error."""
import errno
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import (
    COCO_CONFIG,
    PYTHON,
    REPO,
    SYNTHETIC_CONFIG,
    build_runner,
    coco_cfg_options,
)
from helpers import run as run_command

from litehrnet_mm.engine import AtomicCheckpointHook, AtomicLocalBackend
from litehrnet_mm.engine.hooks import atomic_checkpoint_hook

PLUGINS = Path(__file__).resolve().parents[1] / 'plugins'


def test_backend_writes_whole_files(tmp_path):
    target = tmp_path / 'sub' / 'file.pth'
    AtomicLocalBackend().put(b'new', target)
    assert target.read_bytes() == b'new'
    assert os.listdir(target.parent) == ['file.pth']


def test_full_disk_is_a_clear_error_and_keeps_the_old_file(
        tmp_path, monkeypatch):
    target = tmp_path / 'epoch_1.pth'
    target.write_bytes(b'old')

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_checkpoint_hook.os, 'fsync', no_space)
    with pytest.raises(OSError) as error:
        AtomicLocalBackend().put(b'new', target)
    assert error.value.errno == errno.ENOSPC
    assert 'No space left' in str(error.value)
    assert str(target) in str(error.value)
    assert 'Nothing was replaced' in str(error.value)
    assert target.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['epoch_1.pth']


def _runner(coco_root, work_dir, config=SYNTHETIC_CONFIG, **cfg):
    """A runner of a shipped config (by default the COCO one at 128x96,
    whose hooks it inherits) on the generated data."""
    cfg.setdefault('default_hooks', dict(
        checkpoint=dict(interval=1, max_keep_ckpts=1,
                        save_best='coco/AP', rule='greater')))
    return build_runner(config, coco_root, work_dir, **cfg)


def test_configs_use_the_safe_hooks(coco_root, tmp_path):
    runner = _runner(coco_root, tmp_path, COCO_CONFIG,
                     train_cfg=dict(max_epochs=1))
    names = [type(hook).__name__ for hook in runner.hooks]
    assert 'AtomicCheckpointHook' in names
    assert 'CheckpointHook' not in names
    assert 'SamplerSeedHook' in names
    assert 'NonFiniteLossHook' in names


def test_old_checkpoint_is_removed_only_after_the_new_one_is_whole(
        coco_root, tmp_path, monkeypatch):
    seen = []
    write = AtomicLocalBackend._write

    def watching_write(self, file, data):
        name = os.path.basename(file.name)
        on_disk = sorted(p.name for p in tmp_path.glob('*.pth'))
        last = tmp_path / 'last_checkpoint'
        seen.append((name, on_disk, last.read_text() if last.exists()
                     else None))
        write(self, file, data)

    monkeypatch.setattr(AtomicLocalBackend, '_write', watching_write)
    _runner(coco_root, tmp_path, train_cfg=dict(max_epochs=2)).train()
    epoch_2 = [s for s in seen if s[0].startswith('.epoch_2.pth.')]
    assert epoch_2, seen
    for _, on_disk, last in epoch_2:
        # mmengine would have removed epoch_1.pth before this write
        assert 'epoch_1.pth' in on_disk
        assert last == str(tmp_path / 'epoch_1.pth')
    assert sorted(p.name for p in tmp_path.glob('epoch_*.pth')) == [
        'epoch_2.pth']
    assert (tmp_path / 'last_checkpoint').read_text() == str(
        tmp_path / 'epoch_2.pth')


def test_full_disk_during_training_keeps_the_last_checkpoint(
        coco_root, tmp_path, monkeypatch):
    _runner(coco_root, tmp_path, train_cfg=dict(max_epochs=1)).train()
    before = (tmp_path / 'epoch_1.pth').read_bytes()

    def no_space(self, file, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(AtomicLocalBackend, '_write', no_space)
    runner = _runner(coco_root, tmp_path, train_cfg=dict(max_epochs=2),
                     resume=True)
    with pytest.raises(OSError, match='epoch_2.pth') as error:
        runner.train()
    assert error.value.errno == errno.ENOSPC
    assert (tmp_path / 'epoch_1.pth').read_bytes() == before
    assert not list(tmp_path.glob('epoch_2.pth'))
    assert not list(tmp_path.glob('.*.partial'))
    assert (tmp_path / 'last_checkpoint').read_text() == str(
        tmp_path / 'epoch_1.pth')


def test_hook_keeps_a_given_storage_backend():
    hook = AtomicCheckpointHook(interval=1, backend_args=dict(
        backend='local'))
    assert hook.backend_args == dict(backend='local')
    assert AtomicCheckpointHook(interval=1).backend_args == dict(
        backend=atomic_checkpoint_hook.BACKEND)


def _assert_loadable(work_dir: Path):
    """Every checkpoint in the folder loads, and `last_checkpoint` names one
    of them."""
    from mmengine.runner.checkpoint import _load_checkpoint
    for path in work_dir.glob('*.pth'):
        assert 'state_dict' in _load_checkpoint(str(path)), path
    last = work_dir / 'last_checkpoint'
    if last.exists():
        named = Path(last.read_text())
        assert named.is_file(), f'last_checkpoint names {named}, gone'
        _load_checkpoint(str(named))
        return named.name
    return None


def _train_until(config, coco_root, work_dir, kill_at=None, timeout=240):
    """Run tools/train.py with --resume; SIGKILL it while it writes a file
    whose name matches ``kill_at``. Returns the killed file's name."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(PLUGINS), str(REPO), os.environ.get('PYTHONPATH', '')]))
    cmd = [PYTHON, REPO / 'tools/train.py', config, '--work-dir', work_dir,
           '--resume', '--cfg-options',
           *coco_cfg_options(coco_root, max_epochs=2)]
    if kill_at is None:
        return run_command(cmd, env=env, timeout=timeout)
    proc = subprocess.Popen([str(c) for c in cmd], env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + timeout
    try:
        while time.time() < deadline and proc.poll() is None:
            partial = list(work_dir.glob(f'.{kill_at}.*.partial'))
            if partial:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return partial[0].name
            time.sleep(0.01)
        pytest.fail(f'no write of {kill_at} to kill; exit code '
                    f'{proc.poll()}\n{proc.stderr.read()[-3000:]}')
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()


def test_killed_runs_always_leave_loadable_checkpoints(coco_root, tmp_path):
    config = tmp_path / 'slow_writer_config.py'
    config.write_text(
        f'_base_ = [{str(SYNTHETIC_CONFIG)!r}]\n'
        "custom_imports = dict(imports=['slow_checkpoint_writer'])\n"
        'default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1,'
        " backend_args=dict(backend='slow_atomic_local')))\n")
    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    # each run resumes from whatever the killed one left
    _train_until(config, coco_root, work_dir, kill_at='epoch_1.pth')
    assert _assert_loadable(work_dir) is None
    _train_until(config, coco_root, work_dir,
                 kill_at='best_coco_AP_epoch_1.pth')
    assert _assert_loadable(work_dir) == 'epoch_1.pth'
    # epoch_2.pth is whole, last_checkpoint being rewritten
    _train_until(config, coco_root, work_dir, kill_at='last_checkpoint')
    assert _assert_loadable(work_dir) == 'epoch_1.pth'
    assert (work_dir / 'epoch_2.pth').is_file()
    # the run is resumed from epoch 1 again; killed rewriting epoch_2.pth
    _train_until(config, coco_root, work_dir, kill_at='epoch_2.pth')
    assert _assert_loadable(work_dir) == 'epoch_1.pth'
    _train_until(config, coco_root, work_dir)  # to the end
    assert _assert_loadable(work_dir) == 'epoch_2.pth'
    assert not list(work_dir.glob('.*.partial'))
    assert not (work_dir / 'epoch_1.pth').exists()  # max_keep_ckpts=1
    best = list(work_dir.glob('best_coco_AP_epoch_*.pth'))
    assert len(best) == 1
    # the best weights are the whole model's (what tools/test.py loads)
    from mmengine.runner import load_checkpoint
    from mmpose.apis import init_model
    model = init_model(str(SYNTHETIC_CONFIG), device='cpu')
    load_checkpoint(model, str(best[0]), strict=True)
