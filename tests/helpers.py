"""Helpers of the test suite: generated data, subprocesses, parity set-up."""
import json
import os
import os.path as osp
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / 'configs'
COCO_CONFIG = (CONFIGS / 'body_2d_keypoint/topdown_heatmap/coco/'
               'td-hm_litehrnet-18_8xb64-210e_coco-256x192.py')
LITE30_CONFIG = (CONFIGS / 'body_2d_keypoint/topdown_heatmap/coco/'
                 'td-hm_litehrnet-30_8xb64-210e_coco-256x192.py')
# the COCO Lite-HRNet-18 config at 128x96, for the synthetic people
SYNTHETIC_CONFIG = (CONFIGS / 'body_2d_keypoint/topdown_heatmap/synthetic/'
                    'td-hm_litehrnet-18_1xb32-8e_synthetic-coco-128x96.py')
MPII_CONFIG = (CONFIGS / 'body_2d_keypoint/topdown_heatmap/mpii/'
               'td-hm_litehrnet-18_8xb64-210e_mpii-256x256.py')
SEG_PROJECT = REPO / 'projects' / 'litehrnet_seg'
# the segmentation project's CPU quickstart config
SEG_QUICKSTART = (SEG_PROJECT / 'configs' /
                  'fcn_litehrnet-18_1xb16-500_synthetic-parts-128x160.py')


def coco_cfg_options(root: Path, max_epochs: int = 1) -> list:
    """``--cfg-options`` that point a COCO config at a generated dataset and
    shrink the run to a few iterations on the CPU."""
    ann = osp.join(root, 'annotations')
    options = [
        f'train_dataloader.dataset.data_root={root}/',
        'train_dataloader.dataset.ann_file=annotations/'
        'person_keypoints_train.json',
        'train_dataloader.dataset.data_prefix.img=train/',
        'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
    ]
    for split in ('val', 'test'):
        options += [
            f'{split}_dataloader.dataset.data_root={root}/',
            f'{split}_dataloader.dataset.ann_file=annotations/'
            'person_keypoints_val.json',
            f'{split}_dataloader.dataset.data_prefix.img=val/',
            f'{split}_dataloader.dataset.bbox_file=None',
            f'{split}_dataloader.batch_size=2',
            f'{split}_dataloader.num_workers=0',
            f'{split}_dataloader.persistent_workers=False',
            f'{split}_evaluator.ann_file={ann}/person_keypoints_val.json',
        ]
    options += [
        f'train_cfg.max_epochs={max_epochs}',
        'train_cfg.val_interval=1',
        'default_hooks.logger.interval=1',
    ]
    return options


def seg_cfg_options(root: Path) -> list:
    """``--cfg-options`` that point the segmentation quickstart config at a
    generated body-part dataset and shrink it to 3 iterations."""
    options = ['train_cfg.max_iters=3', 'train_cfg.val_interval=3',
               'default_hooks.checkpoint.interval=3',
               'default_hooks.logger.interval=1',
               'param_scheduler.0.end=2', 'param_scheduler.1.begin=2',
               'param_scheduler.1.end=3']
    for split in ('train', 'val', 'test'):
        options += [f'{split}_dataloader.dataset.data_root={root}',
                    f'{split}_dataloader.batch_size=2',
                    f'{split}_dataloader.num_workers=0',
                    f'{split}_dataloader.persistent_workers=False']
    return options


def python_blocks(markdown: Path, heading: str,
                  language: str = 'python') -> list:
    """The ```python (or other ``language``) blocks of ``markdown`` right
    under the heading whose text is ``heading``, up to the next heading (of
    a subsection too)."""
    level, blocks, in_fence, code = None, [], False, None
    for line in markdown.read_text().splitlines():
        if line.startswith('```'):
            if in_fence and code is not None and level is not None:
                blocks.append('\n'.join(code) + '\n')
            in_fence = not in_fence
            code = [] if line.strip() == f'```{language}' else None
        elif in_fence:
            if code is not None:
                code.append(line)
        elif line.startswith('#'):
            marks, _, text = line.partition(' ')
            if level is None and text.strip() == heading:
                level = len(marks)
            elif level is not None:
                break
    if level is None:
        raise ValueError(f'{markdown}: no heading {heading!r}')
    return blocks


def run(cmd: list, cwd: Path = REPO, timeout: int = 600,
        env: dict = None) -> subprocess.CompletedProcess:
    """Run a command; on failure, fail the test with its output."""
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
        timeout=timeout, env=env)
    if proc.returncode != 0:
        pytest.fail(f'{cmd} exited {proc.returncode}\n--- stdout\n'
                    f'{proc.stdout[-4000:]}\n--- stderr\n'
                    f'{proc.stderr[-4000:]}')
    return proc


PYTHON = sys.executable
MIM = str(Path(sys.executable).with_name('mim'))


def randomize_like_trained(model, seed: int = 0, size=(64, 64),
                           gain=(0.5, 1.5)) -> None:
    """Give a model's norm layers trained-looking parameters and statistics.

    Norm weights (uniform in ``gain``) and biases are drawn at random;
    running statistics are then estimated on random images, so activations
    stay bounded through the whole network and a comparison of outputs means
    something.
    Conv weights keep PyTorch's default random initialisation.
    """
    import torch
    g = torch.Generator().manual_seed(seed)
    norms = [m for m in model.modules()
             if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for m in norms:
            low, high = gain
            m.weight.copy_(
                torch.rand(m.weight.shape, generator=g) * (high - low) + low)
            m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.2)
            m.momentum = None  # cumulative average
        model.train()
        for _ in range(3):
            model(torch.randn(4, 3, *size, generator=g))
        for m in norms:
            m.momentum = 0.1
    model.eval()


def assert_computes_the_same(reference, ours, x, run=None,
                             margin: float = 2.0):
    """Assert that ``ours`` computes ``reference``'s function on ``x``.

    In float64 (deep copies of both) the outputs must agree to 1e-9 of
    their scale: only the order of the sums may differ. In float32, the
    models as they are, ours must be as close to that exact output as the
    reference is: its root-mean-square error within ``margin`` times the
    reference's, plus 1e-7 of the scale (the largest single error is too
    noisy a statistic to compare). Float32 outputs alone cannot be compared
    tightly: on the CPU ours runs its convolutions in channels-last, whose
    sums round differently, and networks with random weights amplify
    rounding (mmpose's own Lite-HRNet-30 in float32 is up to 0.5 away from
    its exact output on a scale of 430 in the backbone tests).

    Args:
        reference (nn.Module): mmpose's model.
        ours (nn.Module): Ours, holding the same weights.
        x (Tensor): A float32 input batch.
        run (callable, optional): ``run(model, x)`` gives the tensor to
            compare. Defaults to the model's first output.
        margin (float): How many times the reference's float32 error ours
            may have. Defaults to 2.

    Returns:
        Tensor: Ours' float32 output, for further checks.
    """
    import copy

    import torch
    run = run or (lambda model, inputs: model(inputs)[0])
    with torch.no_grad():
        exact = run(copy.deepcopy(reference).double(), x.double())
        exact_ours = run(copy.deepcopy(ours).double(), x.double())
        float32 = [run(m, x) for m in (reference, ours)]
    scale = exact.abs().max().item()
    assert scale > 0.1  # a comparison that means something
    assert (exact_ours - exact).abs().max().item() <= 1e-9 * scale
    reference_error, our_error = [
        (y.double() - exact).square().mean().sqrt().item() for y in float32
    ]
    assert our_error <= margin * reference_error + 1e-7 * scale, (
        our_error, reference_error, scale)
    return float32[1]


def config_with_options(config, options: list):
    """``config`` loaded, with ``--cfg-options``-style ``key=value``
    strings merged as the tools merge them."""
    from mmengine.config import Config, DictAction
    config = Config.fromfile(config)
    for option in options:
        key, value = option.split('=', 1)
        config.merge_from_dict({key: DictAction._parse_iterable(value)})
    return config


def build_runner(config, coco_root: Path, work_dir: Path, **cfg):
    """An mmengine Runner for ``config`` on the generated dataset (the
    :func:`coco_cfg_options` overrides), with further ``cfg`` entries."""
    from mmengine.runner import Runner
    config = config_with_options(config, coco_cfg_options(coco_root))
    config.merge_from_dict(dict(work_dir=str(work_dir), **cfg))
    return Runner.from_cfg(config)


def training_people_options(root: Path) -> list:
    """``--cfg-options`` that point every split of a COCO config at the
    generated training people, for fitting, calibration and evaluation
    alike."""
    people = f'{root}/annotations/person_keypoints_train.json'
    return [option for split in ('train', 'val', 'test') for option in (
        f'{split}_dataloader.dataset.data_root={root}/',
        f'{split}_dataloader.dataset.ann_file=annotations/'
        'person_keypoints_train.json',
        f'{split}_dataloader.dataset.data_prefix.img=train/')] + [
            f'{split}_evaluator.ann_file={people}'
            for split in ('val', 'test')]


def fit_to_training_people(cfg, steps: int = 150):
    """``cfg``'s model fitted to its training people's fixed crops (no
    augmentation; Adam, 5e-3), so that its heatmaps have a trained model's
    clear peaks; in eval mode, with the dataset's metainfo.

    Fitted on one thread whatever the test run's setting: the sums of the
    backward pass depend on the thread count, and so would the model.
    """
    import torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _fit(cfg, steps)
    finally:
        torch.set_num_threads(threads)


def _fit(cfg, steps):
    import torch
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import DefaultScope

    from litehrnet_mm.registry import DATASETS, MODELS
    torch.manual_seed(0)
    dataset_cfg = cfg.train_dataloader.dataset.copy()
    dataset_cfg.pipeline = [
        step for step in cfg.train_dataloader.dataset.pipeline
        if step['type'] in ('LoadImage', 'GetBBoxCenterScale',
                            'TopdownAffine', 'GenerateTarget',
                            'PackPoseInputs')
    ]
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        dataset = DATASETS.build(dataset_cfg)
        model = MODELS.build(cfg.model)
    model.init_weights()
    model.cfg = cfg
    data = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(len(dataset))]),
        training=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    model.train()
    for _ in range(steps):
        loss = sum(model.loss(data['inputs'], data['data_samples']).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.dataset_meta = dataset.metainfo
    return model.eval()


# MPII's 16 joints from COCO's 17: r_ankle, r_knee, r_hip, l_hip, l_knee,
# l_ankle, pelvis, thorax, upper_neck, head_top, r_wrist, r_elbow,
# r_shoulder, l_shoulder, l_elbow, l_wrist
def _coco_to_mpii(k):
    import numpy as np
    pelvis, thorax = (k[11] + k[12]) / 2, (k[5] + k[6]) / 2
    neck = thorax + (k[0] - thorax) * 0.5
    top = k[0] + (k[0] - thorax) * 0.6
    return np.stack([k[16], k[14], k[12], k[11], k[13], k[15], pelvis,
                     thorax, neck, top, k[10], k[8], k[6], k[5], k[7],
                     k[9]])


def make_mpii_dataset(coco_root: Path, root: Path) -> Path:
    """The generated COCO people in mmpose's MPII layout
    (``annotations/mpii_{train,val}.json``, ``mpii_gt_val.mat`` head boxes,
    ``images/``)."""
    import json

    import numpy as np
    from scipy.io import savemat
    (root / 'annotations').mkdir(parents=True, exist_ok=True)
    (root / 'images').mkdir(exist_ok=True)
    for split in ('train', 'val'):
        coco = json.loads((coco_root / 'annotations' /
                           f'person_keypoints_{split}.json').read_text())
        names = {im['id']: im['file_name'] for im in coco['images']}
        anns, heads = [], []
        for ann in coco['annotations']:
            kpt = np.array(ann['keypoints']).reshape(17, 3)
            if (kpt[:, 2] > 0).sum() < 8:
                continue
            joints = _coco_to_mpii(kpt[:, :2])
            x, y, w, h = ann['bbox']
            name = names[ann['image_id']]
            target = root / 'images' / name
            if not target.exists():
                target.symlink_to(coco_root / split / name)
            anns.append(dict(image=name, center=[x + w / 2, y + h / 2],
                             scale=max(w, h) / 200 * 1.25,
                             joints=joints.round(2).tolist(),
                             joints_vis=[1] * 16))
            head = np.stack([joints[9], joints[8]])  # top, neck
            heads.append(np.stack([head.min(0) - 5, head.max(0) + 5]))
        (root / 'annotations' / f'mpii_{split}.json').write_text(
            json.dumps(anns))
        if split == 'val':
            savemat(root / 'annotations' / 'mpii_gt_val.mat',
                    dict(headboxes_src=np.transpose(np.array(heads),
                                                    [1, 2, 0])))
    return root


def make_wholebody_hand_dataset(coco_root: Path, root: Path) -> Path:
    """The generated COCO people with COCO-WholeBody hand annotations: 21
    keypoints fanned out from each wrist, a box around them
    (``annotations/coco_wholebody_{train,val}_v1.0.json``)."""
    import json

    import numpy as np
    (root / 'annotations').mkdir(parents=True, exist_ok=True)
    for split in ('train', 'val'):
        (root / f'{split}2017').symlink_to(coco_root / split)
        coco = json.loads((coco_root / 'annotations' /
                           f'person_keypoints_{split}.json').read_text())
        for ann in coco['annotations']:
            kpt = np.array(ann['keypoints']).reshape(17, 3)
            for side, (wrist, elbow) in (('left', (9, 7)),
                                         ('right', (10, 8))):
                direction = kpt[wrist, :2] - kpt[elbow, :2]
                fingers = kpt[wrist, :2] + np.outer(
                    np.linspace(0, 0.6, 21), direction) + np.outer(
                        np.sin(np.arange(21)), direction[::-1] * 0.2)
                valid = bool(kpt[wrist, 2] > 0 and kpt[elbow, 2] > 0)
                lo, hi = fingers.min(0) - 3, fingers.max(0) + 3
                ann[f'{side}hand_kpts'] = np.concatenate(
                    [fingers, np.full((21, 1), 2.0 if valid else 0)],
                    1).round(2).ravel().tolist()
                ann[f'{side}hand_box'] = [*lo.round(2).tolist(),
                                          *(hi - lo).round(2).tolist()]
                ann[f'{side}hand_valid'] = valid
            ann.setdefault('segmentation', [])
        (root / 'annotations' / f'coco_wholebody_{split}_v1.0.json'
         ).write_text(json.dumps(coco))
    return root


# printed by mmengine's CheckpointHook once the model, the data and the
# optimizer are built and the training loop starts
LOOP_STARTS = 'Checkpoints will be saved to'


def link_checkout(folder: Path) -> Path:
    """``folder`` as a user's checkout, where the READMEs' commands run:
    the repository's configs, tools, projects and environment linked."""
    for name in ('configs', 'tools', 'projects', '.venv'):
        (folder / name).symlink_to(REPO / name)
    return folder


def copy_checkout(folder: Path) -> Path:
    """A copy of the repository at ``folder`` (without its data, outputs and
    caches) that shares its environment, for scripts that work in the
    checkout they are in. The environment is brought up to date first (a
    no-op after tools/run_tests.sh), so that the copy's set-up, whose files
    are the same, finds it current and installs nothing into it."""
    shutil.copytree(REPO, folder, ignore=shutil.ignore_patterns(
        '.venv', '.git', 'data', 'work_dirs', '__pycache__', '*.egg-info',
        'build', '.*_cache'))
    run(['bash', 'tools/setup_env.sh'], cwd=REPO)
    (folder / '.venv').symlink_to(REPO / '.venv')
    return folder


def make_user_dir(folder: Path, checkpoint: Path) -> Path:
    """A user's folder for the README's commands: a checkout
    (:func:`link_checkout`), ``checkpoint.pth``, ``image.jpg`` and a
    COCO-layout ``data/coco`` of generated people (90 training images, 2
    validation images, detections made from their boxes)."""
    from litehrnet_mm.datasets import make_synthetic_coco

    # people enough for the INT8 calibration's default 128 crops
    coco_root = folder / 'generated'
    make_synthetic_coco(coco_root, num_train=90, num_val=2, progress=False)
    link_checkout(folder)
    shutil.copy(checkpoint, folder / 'checkpoint.pth')
    image = sorted((coco_root / 'val').glob('*.jpg'))[0]
    shutil.copy(image, folder / 'image.jpg')
    coco = folder / 'data' / 'coco'
    (coco / 'annotations').mkdir(parents=True)
    for split in ('train', 'val'):
        (coco / f'{split}2017').symlink_to(coco_root / split)
        (coco / 'annotations' / f'person_keypoints_{split}2017.json'
         ).symlink_to(coco_root / 'annotations' /
                      f'person_keypoints_{split}.json')
    people = json.loads((coco_root / 'annotations' /
                         'person_keypoints_val.json').read_text())
    detections = [dict(image_id=ann['image_id'], category_id=1,
                       bbox=ann['bbox'], score=1.0)
                  for ann in people['annotations']]
    (coco / 'person_detection_results').mkdir()
    (coco / 'person_detection_results' /
     'COCO_val2017_detections_AP_H_56_person.json').write_text(
         json.dumps(detections))
    return folder


def _shell_env() -> dict:
    """The environment of a shell where the test environment is
    activated: its Python (and mim) first on PATH."""
    return dict(os.environ, PATH=f'{os.path.dirname(PYTHON)}{os.pathsep}'
                f'{os.environ["PATH"]}')


def in_shell(script: str, cwd) -> subprocess.CompletedProcess:
    """``script`` in bash, as in a shell where the environment is
    activated; on failure, fail the test with its output."""
    return run(['bash', '-euo', 'pipefail', '-c', script], cwd=cwd,
               env=_shell_env())


def shell_commands(block: str) -> list:
    """The commands of a shell block: continued lines joined, comments and
    blank lines left out."""
    joined = re.sub(r'\\\n\s*', '', block)
    return [line.strip() for line in joined.splitlines()
            if line.strip() and not line.lstrip().startswith('#')]


def in_shell_until(command: str, pattern: str, cwd,
                   timeout: float = 600) -> str:
    """Run ``command`` in bash (as :func:`in_shell`) until a line of its
    output matches ``pattern``, then stop it and every process it started;
    the output up to there. Fails the test if the command ends, or
    ``timeout`` seconds pass, first."""
    proc = subprocess.Popen(['bash', '-c', command], cwd=cwd,
                            env=_shell_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read():
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    output, deadline = [], time.monotonic() + timeout
    try:
        while True:
            try:
                line = lines.get(timeout=max(0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f'{command}: no line matched {pattern!r} in '
                            f'{timeout} s:\n{"".join(output)[-6000:]}')
            if line is None:
                pytest.fail(f'{command} ended (code {proc.wait()}) before a '
                            f'line matched {pattern!r}:\n'
                            f'{"".join(output)[-6000:]}')
            output.append(line)
            if re.search(pattern, line):
                return ''.join(output)
    finally:
        # the whole tree: torch's launcher starts its workers in sessions of
        # their own, out of reach of a signal to the command's group
        for pid in [proc.pid, *_descendants(proc.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()


def _descendants(pid: int) -> list:
    """The processes started by ``pid``, their children and so on."""
    children: dict = {}
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            # the command name, in brackets, may hold spaces
            fields = stat.read_text().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
