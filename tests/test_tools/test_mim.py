"""`mim train` / `mim test` run this package's tools, from the development
install and from a built wheel."""
import importlib.util
import os
import sys

import pytest
from helpers import COCO_CONFIG, MIM, PYTHON, REPO, coco_cfg_options, run


def test_mim_train_runs_our_train_script(mim_trained):
    work_dir, proc = mim_trained
    # the bare config name was found in the package's .mim/configs
    assert f'will use {COCO_CONFIG}' in proc.stdout
    expected = REPO / 'litehrnet_mm' / '.mim' / 'tools' / 'train.py'
    assert f'{expected} {COCO_CONFIG} --launcher none' in proc.stdout
    assert (work_dir / 'epoch_1.pth').is_file()
    assert 'coco/AP' in proc.stdout + proc.stderr


def test_mim_test_loads_the_runner_checkpoint(mim_trained, coco_root):
    work_dir, _ = mim_trained
    out = work_dir / 'metrics.json'
    proc = run([
        MIM, 'test', 'litehrnet_mm', COCO_CONFIG, '--checkpoint',
        work_dir / 'epoch_1.pth', '--work-dir', work_dir, '--out', out,
        '--cfg-options', *coco_cfg_options(coco_root)
    ], cwd=work_dir)
    assert 'tools/test.py' in proc.stdout
    assert 'coco/AP' in out.read_text()


def test_mim_from_a_built_wheel(tmp_path, coco_root):
    wheels, site = tmp_path / 'wheels', tmp_path / 'site'
    run([PYTHON, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation',
         '-q', '-w', wheels, REPO], cwd=tmp_path)
    wheel, = wheels.glob('litehrnet_mm-*.whl')
    run([PYTHON, '-m', 'pip', 'install', '--no-deps', '-q', '--target', site,
         wheel])
    installed = site / 'litehrnet_mm' / '.mim'
    assert (installed / 'tools' / 'train.py').is_file()
    assert (installed / 'configs' / COCO_CONFIG.relative_to(
        REPO / 'configs')).is_file()
    env = dict(os.environ, PYTHONPATH=str(site))
    proc = run([
        MIM, 'train', 'litehrnet_mm', COCO_CONFIG.name, '--work-dir',
        tmp_path / 'work', '--cfg-options', *coco_cfg_options(coco_root)
    ], cwd=tmp_path, env=env)
    assert f'{installed}/tools/train.py' in proc.stdout
    assert (tmp_path / 'work' / 'epoch_1.pth').is_file()


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(
        f'litehrnet_mm_tools_{name}', REPO / 'tools' / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('flag', ['--local-rank', '--local_rank'])
def test_train_script_takes_mims_arguments(monkeypatch, flag):
    train = _load_tool('train')
    monkeypatch.setattr(sys, 'argv', [
        'train.py', str(COCO_CONFIG), '--launcher', 'pytorch', flag, '1',
        '--amp', '--resume', '--work-dir', 'somewhere', '--cfg-options',
        'train_cfg.max_epochs=3'
    ])
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    args = train.parse_args()
    assert args.local_rank == 1 and os.environ['LOCAL_RANK'] == '1'
    from mmengine.config import Config
    cfg = train.merge_args(Config.fromfile(args.config), args)
    assert cfg.launcher == 'pytorch'
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.resume is True and cfg.load_from is None
    assert cfg.work_dir == 'somewhere'
    assert cfg.train_cfg.max_epochs == 3
