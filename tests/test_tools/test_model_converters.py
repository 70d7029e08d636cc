"""Official-release and mmpose model-zoo checkpoints: converted, or loaded
as they are, into this package's model with the reference's heatmaps; the
mmpose inference API loads them with weights_only=True."""
import pytest
import torch
from helpers import (
    COCO_CONFIG,
    PYTHON,
    REPO,
    assert_computes_the_same,
    build_runner,
    randomize_like_trained,
    run,
)
from mmengine.hub import get_config
from mmengine.registry import DefaultScope
from mmpose.apis import MMPoseInferencer, inference_topdown, init_model
from mmpose.registry import MODELS as MMPOSE_MODELS

MMPOSE_CONFIG = ('mmpose::body_2d_keypoint/topdown_heatmap/coco/'
                 'td-hm_litehrnet-18_8xb64-210e_coco-256x192.py')


@pytest.fixture(scope='module')
def reference():
    """mmpose's own Lite-HRNet-18 pose model, trained-looking weights."""
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmpose'):
        model = MMPOSE_MODELS.build(get_config(MMPOSE_CONFIG).model)
    randomize_like_trained(model.backbone, gain=(0.2, 0.6))
    with torch.no_grad():
        model.head.final_layer.weight.normal_(0, 0.05)
    model.eval()
    return model


@pytest.fixture(scope='module')
def layouts(reference, tmp_path_factory):
    """The reference's weights saved in the official release's layout
    (``module.``-prefixed, ``keypoint_head.``) and the model zoo's."""
    root = tmp_path_factory.mktemp('layouts')
    state = reference.state_dict()
    official = {
        'module.' + k.replace('head.', 'keypoint_head.', 1)
        if k.startswith('head.') else 'module.' + k: v
        for k, v in state.items() if not k.startswith('data_preprocessor')
    }
    torch.save(dict(state_dict=official, meta=dict(epoch=210)),
               root / 'official.pth')
    torch.save(dict(state_dict=state, meta=dict(mmpose_version='1.3.2')),
               root / 'model_zoo.pth')
    return root


def heatmaps(model, x):
    with torch.no_grad():
        return model.eval()._forward(x)


@pytest.mark.parametrize('layout', ['official', 'model_zoo'])
def test_converter_gives_the_references_heatmaps(reference, layouts, layout,
                                                 tmp_path):
    converted = tmp_path / 'converted.pth'
    out = run([PYTHON, REPO / 'tools/model_converters/'
               'litehrnet_official_to_mm.py', layouts / f'{layout}.pth',
               converted]).stdout
    assert '(2 of the head)' in out
    model = init_model(str(COCO_CONFIG), None, device='cpu')
    state = torch.load(converted)['state_dict']
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert [k for k in missing if not k.startswith('data_preprocessor')] \
        == [] and unexpected == []
    assert_computes_the_same(reference, model, torch.randn(2, 3, 256, 192),
                             run=heatmaps)


@pytest.mark.parametrize('layout', ['official', 'model_zoo'])
def test_load_from_takes_both_layouts_unconverted(reference, layouts, layout,
                                                  coco_root, tmp_path):
    runner = build_runner(COCO_CONFIG, coco_root, tmp_path,
                          load_from=str(layouts / f'{layout}.pth'))
    runner.load_or_resume()  # the compatibility hook finds no difference
    assert_computes_the_same(reference, runner.model,
                             torch.randn(1, 3, 256, 192), run=heatmaps)


def test_mmpose_inference_api_loads_runner_checkpoints(mim_trained,
                                                       coco_root):
    checkpoint = str(mim_trained[0] / 'epoch_1.pth')
    model = init_model(str(COCO_CONFIG), checkpoint, device='cpu')
    image = str(next((coco_root / 'val').glob('*.jpg')))
    results = inference_topdown(model, image, bboxes=[[10, 10, 200, 240]])
    assert results[0].pred_instances.keypoints.shape == (1, 17, 2)
    inferencer = MMPoseInferencer(
        pose2d=str(COCO_CONFIG), pose2d_weights=checkpoint, device='cpu',
        scope='litehrnet_mm', det_model='whole_image')
    result = next(inferencer(image))
    assert len(result['predictions'][0][0]['keypoints']) == 17
    assert type(inferencer.inferencer.model.backbone).__module__ == \
        'litehrnet_mm.models.backbones.litehrnet'
