"""The configs' test pipeline checks every image and box, so each way a
user runs a config gives the same clear error for an input that cannot be
cropped: mmpose's ``inference_topdown``, ``MMPoseInferencer``, a runner's
test loop and ``TopdownPredictor``."""
import json

import numpy as np
import pytest
from helpers import COCO_CONFIG, CONFIGS, build_runner
from mmengine.config import Config
from mmpose.apis import MMPoseInferencer, inference_topdown, init_model

from litehrnet_mm.apis import TopdownPredictor
from litehrnet_mm.datasets import CheckTopdownInput


@pytest.fixture(scope='module')
def model():
    return init_model(str(COCO_CONFIG), None, device='cpu')


@pytest.fixture(scope='module')
def image(coco_root):
    return str(sorted((coco_root / 'val').glob('*.jpg'))[0])


def test_every_config_checks_its_test_inputs():
    for config in sorted(CONFIGS.rglob('td-hm_*.py')):
        steps = [step['type'] for step in
                 Config.fromfile(config).test_dataloader.dataset.pipeline]
        assert steps[:2] == ['LoadImage', 'litehrnet_mm.CheckTopdownInput'
                             ], config.name


# (case, boxes as mmpose's inference_topdown takes them, message parts)
BOXES = [
    ('zero size', [[40, 40, 40, 90]], ['[40.0, 40.0, 40.0, 90.0]',
                                       '0 x 50 pixels', 'at least one']),
    ('not a number', [[10, 10, float('nan'), 90]],
     ['not a finite number']),
    ('two numbers', [[10, 10]], ['shape (N, 4)', '(1, 2)']),
    ('corners swapped', [[90, 120, 10, 10]], ['-80 x -110 pixels']),
    ('outside the image', [[1000, 1000, 1100, 1200]], ['lies outside']),
]


@pytest.mark.parametrize('case,boxes,parts', BOXES,
                         ids=[row[0] for row in BOXES])
def test_mmpose_inference_topdown_names_the_box(model, image, case, boxes,
                                                parts):
    with pytest.raises(ValueError) as error:
        inference_topdown(model, image, boxes)
    for part in [image, *parts]:
        assert part in str(error.value)


@pytest.mark.parametrize('case,boxes,parts', BOXES,
                         ids=[row[0] for row in BOXES])
def test_topdown_predictor_gives_the_same_error(model, image, case, boxes,
                                                parts):
    with pytest.raises(ValueError) as error:
        TopdownPredictor(model)(image, boxes)
    for part in parts:
        assert part in str(error.value)


def test_an_empty_image_array(model):
    empty = np.zeros((0, 0, 3), np.uint8)
    with pytest.raises(ValueError, match=r'img \(the image array\) is empty'):
        inference_topdown(model, empty)
    inferencer = MMPoseInferencer(pose2d=str(COCO_CONFIG),
                                  det_model='whole_image', device='cpu')
    with pytest.raises(ValueError, match='is empty: 0 x 0 pixels'):
        next(inferencer(empty))
    with pytest.raises(ValueError, match='is empty: 0 x 0 pixels'):
        TopdownPredictor(model)(empty)


def test_test_loop_names_the_detection(coco_root, tmp_path):
    """A detection of zero size in a results file stops the test loop with
    the image and the box named."""
    coco = json.loads((coco_root / 'annotations' /
                       'person_keypoints_val.json').read_text())
    first = coco['images'][0]
    detections = [dict(image_id=first['id'], category_id=1, score=0.9,
                       bbox=[30.0, 20.0, 0.0, 60.0])]
    bbox_file = tmp_path / 'detections.json'
    bbox_file.write_text(json.dumps(detections))
    runner = build_runner(COCO_CONFIG, coco_root, tmp_path / 'work',
                          test_dataloader=dict(dataset=dict(
                              bbox_file=str(bbox_file))))
    with pytest.raises(ValueError) as error:
        runner.test()
    assert first['file_name'] in str(error.value)
    assert '0 x 60 pixels' in str(error.value)


def test_valid_inputs_pass_unchanged(image):
    image_array = np.zeros((20, 30, 3), np.uint8)
    results = dict(img=image_array, img_path=image,
                   bbox=np.array([[0, 0, 30, 20], [5.5, 2, 7, 4]]))
    assert CheckTopdownInput()(results) is results
