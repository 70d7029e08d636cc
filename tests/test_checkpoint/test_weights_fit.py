"""Weights of another variant or keypoint set are refused on every loading
path, not loaded in part with a warning: the inference API, the tools'
loading, a plain ``load_state_dict(strict=False)``."""
import pytest
import torch
from helpers import COCO_CONFIG, LITE30_CONFIG, MPII_CONFIG
from mmpose.apis import MMPoseInferencer, init_model

from litehrnet_mm.checkpoint.weights_fit import (
    WeightsMismatchError,
    mark_weights_source,
)


def test_init_model_refuses_another_variant(lite18_checkpoint):
    with pytest.raises(WeightsMismatchError) as error:
        init_model(str(LITE30_CONFIG), str(lite18_checkpoint), device='cpu')
    message = str(error.value)
    assert "LiteHRNet (at 'backbone.')" in message
    assert 'keys missing from the weights' in message
    assert 'backbone.stage0.2.' in message  # the first module -18 lacks
    assert 'another variant' in message
    assert f'loaded from {lite18_checkpoint} into' in message


def test_init_model_refuses_another_keypoint_set(lite18_checkpoint):
    with pytest.raises(WeightsMismatchError, match=(
            r"LiteHRNetHead \(at 'head.'\)(.|\n)*head.final_layer.weight: "
            r'\(17, 40, 1, 1\) vs \(16, 40, 1, 1\)')):
        init_model(str(MPII_CONFIG), str(lite18_checkpoint), device='cpu')


def test_inferencer_refuses_another_keypoint_set(lite18_checkpoint):
    with pytest.raises(WeightsMismatchError, match='final_layer'):
        MMPoseInferencer(pose2d=str(MPII_CONFIG),
                         pose2d_weights=str(lite18_checkpoint), device='cpu',
                         scope='litehrnet_mm', det_model='whole_image')


def test_weights_of_a_bigger_variant_are_refused_too():
    """-18's keys are a subset of -30's with the same shapes: the extra
    modules are what gives it away."""
    lite18 = init_model(str(COCO_CONFIG), None, device='cpu')
    lite30 = init_model(str(LITE30_CONFIG), None, device='cpu')
    with pytest.raises(WeightsMismatchError,
                       match='keys in the weights but not in the model'):
        lite18.load_state_dict(lite30.state_dict(), strict=False)


def test_fitting_weights_load_on_every_path(lite18_checkpoint):
    model = init_model(str(COCO_CONFIG), str(lite18_checkpoint), device='cpu')
    saved = torch.load(lite18_checkpoint)['state_dict']
    for key, value in model.state_dict().items():
        if key in saved:
            assert torch.equal(value, saved[key]), key
    backbone = model.backbone
    backbone.load_state_dict(backbone.state_dict())  # strict, root prefix


def test_a_checkpoint_saved_after_loading_stays_a_plain_one(tmp_path):
    """The file name rides in the state dict's ``_metadata`` while loading;
    saved again, the state dict is the plain one ``weights_only`` loads."""
    state = torch.nn.Conv2d(3, 4, 1).state_dict()
    marked = mark_weights_source({'state_dict': state}, 'a.pth')
    assert marked['state_dict']._metadata.get('weight') == {'source': 'a.pth'}
    torch.save(marked, tmp_path / 'again.pth')
    loaded = torch.load(tmp_path / 'again.pth', weights_only=True)
    assert type(loaded['state_dict']._metadata).__name__ == 'OrderedDict'
    assert loaded['state_dict']._metadata[''] == {'version': 1}
    torch.testing.assert_close(dict(loaded['state_dict']), dict(state))
