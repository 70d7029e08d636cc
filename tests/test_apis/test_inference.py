"""litehrnet_mm's inference_topdown gives mmpose's results for valid
inputs (wrong ones: tests/test_bad_inputs.py)."""
import numpy as np
import pytest
from helpers import COCO_CONFIG
from mmpose.apis import inference_topdown as mmpose_inference_topdown
from mmpose.apis import init_model

from litehrnet_mm.apis import inference_topdown


@pytest.fixture(scope='module')
def model():
    return init_model(str(COCO_CONFIG), None, device='cpu')


@pytest.mark.parametrize('bbox_format,boxes', [
    ('xyxy', [[10, 20, 150, 230], [40, 5, 120, 200]]),
    ('xywh', [[10, 20, 140, 210]]),
    ('xyxy', None),
])
def test_same_keypoints_as_mmpose(model, coco_root, bbox_format, boxes):
    image = sorted((coco_root / 'val').glob('*.jpg'))[0]
    ours = inference_topdown(model, image, boxes, bbox_format)  # a Path
    theirs = mmpose_inference_topdown(model, str(image), boxes, bbox_format)
    assert len(ours) == len(theirs) == (len(boxes) if boxes else 1)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.pred_instances.keypoints,
                                      b.pred_instances.keypoints)
        assert a.img_path == str(image)
