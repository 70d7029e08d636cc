"""Shared fixtures: small datasets the tests generate, never download.

Under pytest-xdist (``tools/run_tests.sh`` runs two workers) each worker
runs torch on one thread, so that the workers do not fight over the
cores, and the session fixtures below are made once for all workers.
"""
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock
from helpers import (
    COCO_CONFIG,
    MIM,
    PYTHON,
    REPO,
    SEG_PROJECT,
    SEG_QUICKSTART,
    SYNTHETIC_CONFIG,
    coco_cfg_options,
    config_with_options,
    fit_to_training_people,
    run,
    seg_cfg_options,
    training_people_options,
)

from litehrnet_mm.datasets import make_synthetic_coco

# The files that take half a minute or more, longest first (measured under
# tools/run_tests.sh): the workers start with them, so that neither is left
# with one of them at the end while the other waits.
LONGEST_FIRST = [
    'test_tools/test_analysis_and_deployment_tools.py',  # 179 s
    'test_projects/test_litehrnet_seg_readme.py',        # 141 s
    'test_readme_examples.py',                           # 140 s
    'test_projects/test_upper_body.py',                  # 108 s
    'test_deploy/test_deploy.py',                        # 99 s
    'test_readme_train_commands.py',                     # 86 s
    'test_engine/test_atomic_checkpoint_hook.py',        # 66 s
    'test_projects/test_litehrnet_seg.py',               # 65 s
    'test_configs/test_config_runs.py',                  # 54 s
    'test_tools/test_readme_counts.py',                  # 52 s
    'test_tools/test_quickstart.py',                     # 48 s
    'test_apis/test_openmmlab_apis.py',                  # 45 s
    'test_tools/test_distributed.py',                    # 33 s
    'test_tools/test_mim.py',                            # 28 s
    'test_engine/test_resume.py',                        # 27 s
]


def pytest_collection_modifyitems(config, items):
    tests = Path(__file__).parent
    missing = [name for name in LONGEST_FIRST if not (tests / name).is_file()]
    if missing:
        raise pytest.UsageError(
            f'tests/conftest.py: LONGEST_FIRST names files that are gone: '
            f'{missing}')

    def rank(item):
        path = item.path.relative_to(tests).as_posix()
        return (LONGEST_FIRST.index(path) if path in LONGEST_FIRST else
                len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: the other files keep their order


def pytest_collection_finish(session):
    # The modules, registries and configs loaded so far live until the end:
    # left to the cyclic garbage collector, each full collection walks them
    # all again (measured: 16 s of 84 s for the config and model tests in
    # one process, 4 s with them frozen)
    gc.freeze()


def _format_each_config_text_once():
    """mmengine formats a config with yapf every time it logs, dumps or
    checkpoints it: a runner does it five times at start and once per
    checkpoint, 0.16 s a call here (145 calls of 27 different texts in the
    config and engine tests, 23 s of their 136 s). The same text is
    formatted once per worker; the output is yapf's, unchanged."""
    from mmengine.config import config as config_module
    format_code, formatted = config_module.FormatCode, {}

    def format_once(text, *args, **kwargs):
        key = (text, repr(args), repr(kwargs))
        if key not in formatted:
            formatted[key] = format_code(text, *args, **kwargs)
        return formatted[key]

    config_module.FormatCode = format_once


def pytest_configure(config):
    _format_each_config_text_once()
    if os.environ.get('PYTEST_XDIST_WORKER'):
        import torch
        torch.set_num_threads(1)
        os.environ['OMP_NUM_THREADS'] = '1'  # the tools the tests start


def _made_once(tmp_path_factory, name: str, make) -> Path:
    """The folder ``name``, filled by ``make(folder)`` by the first worker
    that asks for it; the others wait for it and share it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get('PYTEST_XDIST_WORKER'):
        root = root.parent  # the run's folder, above the workers' own
    folder, done = root / name, root / f'{name}.done'
    with FileLock(str(root / f'{name}.lock')):
        if not done.exists():
            folder.mkdir(exist_ok=True)  # a failed worker may have left it
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope='module', autouse=True)
def default_scope_restored():
    """Each test file leaves mmengine's default scope as it found it. A
    runner or ``init_default_scope`` makes its scope the current one for the
    rest of the process, and a test file that ran before in the same worker
    (the segmentation project's, at mmseg) would send the next file's
    registry builds to another package's registries."""
    from mmengine.registry import DefaultScope
    before = dict(DefaultScope._instance_dict)  # ordered: the last is current
    yield
    # looked up again, not held from the set-up: DefaultScope's
    # overwrite_default_scope puts back a copy of the dict, not the object
    DefaultScope._instance_dict.clear()
    DefaultScope._instance_dict.update(before)


@pytest.fixture(scope='session')
def coco_root(tmp_path_factory) -> Path:
    """A generated COCO-format dataset: 4 train and 2 val images."""
    return _made_once(
        tmp_path_factory, 'coco',
        lambda root: make_synthetic_coco(root, num_train=4, num_val=2,
                                         progress=False))


@pytest.fixture(scope='session')
def mim_trained(coco_root, tmp_path_factory):
    """One tiny `mim train` run of the COCO Lite-HRNet-18 config (one
    epoch on :func:`coco_root`): ``(work_dir, completed process)``."""
    def command(work_dir):
        return [MIM, 'train', 'litehrnet_mm', COCO_CONFIG.name, '--work-dir',
                work_dir, '--cfg-options', *coco_cfg_options(coco_root)]

    def train(work_dir):
        proc = run(command(work_dir), cwd=work_dir)
        (work_dir / 'mim_train.json').write_text(
            json.dumps(dict(stdout=proc.stdout, stderr=proc.stderr)))

    work_dir = _made_once(tmp_path_factory, 'mim_train', train)
    output = json.loads((work_dir / 'mim_train.json').read_text())
    return work_dir, subprocess.CompletedProcess(
        [str(c) for c in command(work_dir)], 0, **output)


@pytest.fixture(scope='session')
def lite18_checkpoint(mim_trained) -> Path:
    """The Lite-HRNet-18 (COCO, 17 keypoints) checkpoint of
    :func:`mim_trained`."""
    return mim_trained[0] / 'epoch_1.pth'


@pytest.fixture(scope='session')
def fitted_export(coco_root, tmp_path_factory) -> dict:
    """The 128x96 config's model fitted to the generated training people
    (:func:`helpers.fit_to_training_people`), saved as a checkpoint, then
    exported by the pytorch2onnx tool as users run it: deploy mode, dynamic
    batch, checked with onnxruntime, quantized to INT8 calibrated on 6 of
    the same people. Returns the ``checkpoint``, ``float`` and ``int8``
    files, the tool's ``stdout`` and the ``options`` that point the config
    at the training people."""
    options = training_people_options(coco_root)

    def make(folder):
        import torch
        model = fit_to_training_people(
            config_with_options(SYNTHETIC_CONFIG, options))
        torch.save(dict(state_dict=model.state_dict(),
                        meta=dict(dataset_meta=model.dataset_meta)),
                   folder / 'fitted.pth')
        proc = run([
            PYTHON, REPO / 'tools/deployment/pytorch2onnx.py',
            SYNTHETIC_CONFIG, folder / 'fitted.pth', '--output-file',
            folder / 'new_folder' / 'float.onnx', '--shape', '1', '3', '128',
            '96', '--dynamic-batch', '--deploy', '--verify', '--int8',
            folder / 'int8.onnx', '--calib-images', '6', '--cfg-options',
            *options])
        (folder / 'pytorch2onnx.txt').write_text(proc.stdout)

    folder = _made_once(tmp_path_factory, 'fitted_export', make)
    return dict(checkpoint=str(folder / 'fitted.pth'),
                float=str(folder / 'new_folder' / 'float.onnx'),
                int8=str(folder / 'int8.onnx'),
                stdout=(folder / 'pytorch2onnx.txt').read_text(),
                options=options)


@pytest.fixture(scope='session')
def parts_root(tmp_path_factory) -> Path:
    """The segmentation project's generated body-part dataset: 6 train and
    4 val images in mmseg's layout."""
    def make(root):
        sys.path.insert(0, str(SEG_PROJECT / 'tools'))
        try:
            from make_synthetic_parts import make_synthetic_parts
        finally:
            sys.path.remove(str(SEG_PROJECT / 'tools'))
        make_synthetic_parts(str(root), num_train=6, num_val=4,
                             progress=False)

    return _made_once(tmp_path_factory, 'synthetic_parts', make)


@pytest.fixture(scope='session')
def seg_trained(parts_root, tmp_path_factory):
    """The segmentation quickstart config trained for 3 iterations through
    mim, then tested through mim: ``(checkpoint, metrics)``."""
    def train(work):
        run([MIM, 'train', 'litehrnet_mm', SEG_QUICKSTART, '--work-dir', work,
             '--cfg-options', *seg_cfg_options(parts_root)])
        run([MIM, 'test', 'litehrnet_mm', SEG_QUICKSTART, '--checkpoint',
             work / 'iter_3.pth', '--work-dir', work / 'test', '--out',
             work / 'metrics.json', '--cfg-options',
             *seg_cfg_options(parts_root)])

    work = _made_once(tmp_path_factory, 'seg_work', train)
    return work / 'iter_3.pth', json.loads(
        (work / 'metrics.json').read_text())
