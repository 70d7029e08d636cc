"""The README's data and deployment commands, its many-people example and
its config of your own run as pasted, in a user's folder that holds the
repository's configs and tools, a checkpoint, an image and a COCO-layout
``data/coco`` (the generated people; detections made from their boxes).

The inference examples run in tests/test_apis/test_openmmlab_apis.py."""
import json
import os
import shutil
import subprocess
import textwrap

import pytest
from helpers import PYTHON, REPO, python_blocks, run

from litehrnet_mm.datasets import make_synthetic_coco

README = REPO / 'README.md'


@pytest.fixture(scope='module')
def user_dir(tmp_path_factory, lite18_checkpoint):
    folder = tmp_path_factory.mktemp('user')
    # people enough for the INT8 calibration's default 128 crops
    coco_root = folder / 'generated'
    make_synthetic_coco(coco_root, num_train=90, num_val=2, progress=False)
    for name in ('configs', 'tools', '.venv'):
        (folder / name).symlink_to(REPO / name)
    shutil.copy(lite18_checkpoint, folder / 'checkpoint.pth')
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


def _bash(script: str, cwd) -> subprocess.CompletedProcess:
    """``script`` in bash with the environment's Python first on PATH, as
    in a shell where it is activated."""
    env = dict(os.environ, PATH=f'{os.path.dirname(PYTHON)}{os.pathsep}'
               f'{os.environ["PATH"]}')
    return run(['bash', '-euo', 'pipefail', '-c', script], cwd=cwd, env=env)


@pytest.fixture(scope='module')
def deployed(user_dir):
    """The Deployment section's commands, run as written."""
    commands = python_blocks(README, 'Deployment', language='bash')[0]
    return _bash(commands, user_dir).stdout


def test_deployment_commands_run_as_pasted(user_dir, deployed):
    assert (user_dir / 'model.onnx').is_file()
    assert (user_dir / 'model_int8.onnx').is_file()
    assert 'coco/AP' in deployed


def test_many_people_example_runs_as_pasted(user_dir, deployed):
    _, init_model_example = python_blocks(README, 'Inference')
    (example, ) = python_blocks(README, 'Many people per image')
    out = run([PYTHON, '-c', init_model_example + example + textwrap.dedent('''
        print(len(results), results[0].pred_instances.keypoints.shape)
    ''')], cwd=user_dir).stdout
    assert out.strip().splitlines()[-1] == '2 (1, 17, 2)'


def test_config_of_your_own_runs_as_pasted(user_dir):
    (config, ) = python_blocks(README, 'Configs of your own')
    path = user_dir / config.splitlines()[0].lstrip('# ')
    path.parent.mkdir(parents=True)
    path.write_text(config)
    out = run([PYTHON, '-c', textwrap.dedent(f'''
        import litehrnet_mm
        from mmpose.apis import init_model
        model = init_model({str(path.relative_to(user_dir))!r},
                           'checkpoint.pth', device='cpu')
        print(model.backbone.frozen_stages, any(
            p.requires_grad for p in model.backbone.stem.parameters()))
    ''')], cwd=user_dir).stdout
    assert out.strip().splitlines()[-1] == '1 False'


def test_data_command_runs_as_pasted(user_dir):
    (command, ) = python_blocks(README, 'Data', language='bash')
    _bash(command, user_dir)
    made = user_dir / 'data' / 'synthetic_coco'
    people = json.loads((made / 'annotations' /
                         'person_keypoints_train.json').read_text())
    assert len(people['images']) == 3000
    assert len(list((made / 'val').glob('*.jpg'))) == 200
