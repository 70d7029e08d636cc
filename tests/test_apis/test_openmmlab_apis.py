"""mmpose's and mmseg's APIs on the package's configs, called as their users
call them: in a fresh interpreter that has not imported litehrnet_mm, with
the APIs' default arguments (the README's examples run as pasted, from a
folder holding a user's files)."""
import ast
import json
import shutil
import textwrap

import cv2
import numpy as np
import pytest
from helpers import (
    COCO_CONFIG,
    CONFIGS,
    PYTHON,
    REPO,
    SEG_PROJECT,
    python_blocks,
    run,
)

README = REPO / 'README.md'
POSE_API_SECTION = 'Inference'
SEG_API_SECTION = 'Inference, deploy mode, ONNX'
VIDEO_FRAMES = 3
# every config a user can hand to the APIs, with the API family it is for
POSE_CONFIGS = sorted(CONFIGS.glob('*_keypoint/**/*.py'))
UPPER_BODY = sorted(REPO.glob('projects/upper_body/configs/td-hm_*.py'))
SEG_CONFIGS = sorted((SEG_PROJECT / 'configs').glob('*.py'))


@pytest.fixture(scope='module')
def user_dir(tmp_path_factory, lite18_checkpoint, seg_trained, coco_root):
    """A user's folder: the repository's configs and projects, the runner's
    checkpoints under the README's names, an image and a short video."""
    folder = tmp_path_factory.mktemp('user')
    for name in ('configs', 'projects'):
        (folder / name).symlink_to(REPO / name)
    shutil.copy(lite18_checkpoint, folder / 'checkpoint.pth')
    seg_work = folder / 'work_dirs' / 'litehrnet_seg_quickstart'
    seg_work.mkdir(parents=True)
    shutil.copy(seg_trained[0], seg_work / 'iter_500.pth')
    image = cv2.imread(str(sorted((coco_root / 'val').glob('*.jpg'))[0]))
    cv2.imwrite(str(folder / 'image.jpg'), image)
    height, width = image.shape[:2]
    video = cv2.VideoWriter(str(folder / 'video.mp4'),
                            cv2.VideoWriter_fourcc(*'mp4v'), 10,
                            (width, height))
    for shift in range(VIDEO_FRAMES):
        video.write(np.roll(image, 4 * shift, axis=1))
    video.release()
    return folder


def _fresh(code: str, cwd) -> str:
    """Run ``code`` in a new interpreter in ``cwd``; its stdout."""
    return run([PYTHON, '-c', code], cwd=cwd).stdout


def _frames(video) -> int:
    capture = cv2.VideoCapture(str(video))
    count = 0
    while capture.read()[0]:
        count += 1
    return count


def test_readme_pose_examples_run_as_pasted(user_dir):
    inferencer_example, init_model_example = python_blocks(
        README, POSE_API_SECTION)
    for example in (inferencer_example, init_model_example):
        assert 'litehrnet_mm' not in example.replace(
            'td-hm_litehrnet', '')  # no plugin import, no scope argument
    out = _fresh(inferencer_example + textwrap.dedent('''
        model = inferencer.inferencer.model
        print(type(model.backbone).__module__, type(model.head).__module__)
    '''), user_dir)
    *_, modules = out.strip().splitlines()
    assert modules == ('litehrnet_mm.models.backbones.litehrnet '
                       'litehrnet_mm.models.heads.litehrnet_head')
    assert out.count('1 people') == VIDEO_FRAMES
    (keypoints, ) = [ast.literal_eval(line) for line in out.splitlines()
                     if line.startswith('[[')]
    assert np.array(keypoints).shape == (17, 2)
    assert cv2.imread(str(user_dir / 'vis' / 'image.jpg')) is not None
    assert _frames(user_dir / 'vis' / 'video.mp4') == VIDEO_FRAMES

    out = _fresh(init_model_example + textwrap.dedent('''
        print(results[0].pred_instances.keypoints.shape,
              type(model.head).__module__)
    '''), user_dir)
    assert out.strip().splitlines()[-1] == (
        '(1, 17, 2) litehrnet_mm.models.heads.litehrnet_head')


def test_readme_segmentation_example_runs_as_pasted(user_dir):
    (example, ) = python_blocks(SEG_PROJECT / 'README.md', SEG_API_SECTION)
    assert 'import litehrnet_mm' not in example
    out = _fresh(example + textwrap.dedent('''
        print(tuple(result.pred_sem_seg.data.shape), mask.shape,
              type(model.backbone).__module__)
    '''), user_dir)
    height, width = cv2.imread(str(user_dir / 'image.jpg')).shape[:2]
    assert out.strip().splitlines()[-1] == (
        f'(1, {height}, {width}) ({height}, {width}) '
        'litehrnet_mm.models.backbones.litehrnet')


# Each config through each API in its own child of a process that has
# imported the APIs (torch, mmpose, mmseg: what takes the time) but neither
# litehrnet_mm nor a default scope; the children are forked, so each starts
# as that process is.
EVERY_CONFIG_SCRIPT = '''
import json, multiprocessing, sys
from mmengine.registry import DefaultScope
import mmpose.apis, mmseg.apis

assert 'litehrnet_mm' not in sys.modules
assert DefaultScope.get_current_instance() is None


def load(api, path, plugin, queue):
    try:
        if plugin:
            import litehrnet_mm  # noqa: F401
        if api == 'Config.fromfile':
            from mmengine.config import Config
            Config.fromfile(path)
            queue.put(['ok', None])
            return
        if api == 'mmpose.init_model':
            model = mmpose.apis.init_model(path, None, device='cpu')
        elif api == 'MMPoseInferencer':
            model = mmpose.apis.MMPoseInferencer(
                pose2d=path, det_model='whole_image',
                device='cpu').inferencer.model
        elif api == 'mmseg.init_model':
            model = mmseg.apis.init_model(path, None, device='cpu')
        else:
            model = mmseg.apis.MMSegInferencer(path, device='cpu').model
        queue.put(['ok', type(model.backbone).__module__])
    except Exception as error:
        queue.put(['error', f'{type(error).__name__}: {error}'])


context = multiprocessing.get_context('fork')
for api, path, plugin in json.loads(sys.argv[1]):
    queue = context.Queue()
    child = context.Process(target=load, args=(api, path, plugin, queue))
    child.start()
    print(json.dumps([api, path, plugin, *queue.get()]), flush=True)
    child.join()
'''
POSE_APIS = ('Config.fromfile', 'mmpose.init_model', 'MMPoseInferencer')
SEG_APIS = ('Config.fromfile', 'mmseg.init_model', 'MMSegInferencer')


@pytest.fixture(scope='module')
def every_config_loaded(user_dir):
    """``{(api, config, imported litehrnet_mm first): (status, what)}``:
    each config through each API in a fresh interpreter, from the user's
    folder; the upper-body project's both without and with the import."""
    cases = [(api, str(p), False) for p in POSE_CONFIGS for api in POSE_APIS]
    cases += [(api, str(p), plugin) for p in UPPER_BODY for api in POSE_APIS
              for plugin in (False, True)]
    cases += [(api, str(p), False) for p in SEG_CONFIGS for api in SEG_APIS]
    out = run([PYTHON, '-c', EVERY_CONFIG_SCRIPT, json.dumps(cases)],
              cwd=user_dir).stdout
    results = [json.loads(line) for line in out.splitlines()
               if line.startswith('["')]
    assert [tuple(r[:3]) for r in results] == cases
    return {tuple(r[:3]): tuple(r[3:]) for r in results}


BACKBONE = 'litehrnet_mm.models.backbones.litehrnet'


@pytest.mark.parametrize('config', POSE_CONFIGS + SEG_CONFIGS,
                         ids=lambda p: p.stem)
def test_every_config_loads_in_a_fresh_interpreter(every_config_loaded,
                                                   config):
    apis = SEG_APIS if config in SEG_CONFIGS else POSE_APIS
    results = {api: every_config_loaded[(api, str(config), False)]
               for api in apis}
    assert results == {'Config.fromfile': ('ok', None),
                       apis[1]: ('ok', BACKBONE), apis[2]: ('ok', BACKBONE)}


@pytest.mark.parametrize('config', UPPER_BODY, ids=lambda p: p.stem)
def test_a_config_inheriting_through_the_prefix_needs_the_import(
        every_config_loaded, config):
    """``_base_ = ['litehrnet_mm::...']`` is resolved by mmengine only once
    the package is imported (the README says so, with this message)."""
    for api in POSE_APIS:
        status, message = every_config_loaded[(api, str(config), False)]
        assert status == 'error'
        assert message == ('AssertionError: mmengine does not support to '
                           'load litehrnet_mm config.')
        assert message in README.read_text().replace('\n', ' ')
        expected = None if api == 'Config.fromfile' else BACKBONE
        assert every_config_loaded[(api, str(config), True)] == (
            'ok', expected)


def test_mmpose_inferencer_picks_mmposes_person_detector(monkeypatch):
    """Without ``det_model`` the inferencer runs mmpose's default detector
    for the config's dataset (people, for COCO), which it picks by the
    dataset's class: the configs keep mmpose's dataset names for it. The
    detector is not built here (its weights are a download)."""
    from mmpose.apis import MMPoseInferencer
    from mmpose.apis.inferencers import base_mmpose_inferencer
    from mmpose.apis.inferencers.utils import default_det_models

    class Detector:
        def __init__(self, model, **kwargs):
            self.model = model

    monkeypatch.setattr(base_mmpose_inferencer, 'DetInferencer', Detector)
    inferencer = MMPoseInferencer(pose2d=str(COCO_CONFIG), device='cpu')
    assert inferencer.inferencer.detector.model == (
        default_det_models['human']['model'])
