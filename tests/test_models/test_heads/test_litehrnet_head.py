"""The top-down heatmap head: mmpose's model-zoo and the official release's
weights load unchanged, and the whole pose model equals mmpose's."""
import copy

import numpy as np
import pytest
import torch
from helpers import (
    COCO_CONFIG,
    assert_computes_the_same,
    randomize_like_trained,
)
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.registry import DefaultScope
from mmpose.registry import MODELS as MMPOSE_MODELS
from mmpose.testing import get_packed_inputs

from litehrnet_mm.registry import MODELS

MMPOSE_CONFIG = ('mmpose::body_2d_keypoint/topdown_heatmap/coco/'
                 'td-hm_litehrnet-18_8xb64-210e_coco-256x192.py')


def build(registry, cfg, scope):
    with DefaultScope.overwrite_default_scope(scope):
        return registry.build(copy.deepcopy(cfg))


@pytest.fixture(scope='module')
def twins():
    """mmpose's Lite-HRNet-18 pose model with trained-looking weights, and
    ours (from our config) holding its state dict."""
    torch.manual_seed(0)
    reference = build(MMPOSE_MODELS, get_config(MMPOSE_CONFIG).model,
                      'mmpose')
    randomize_like_trained(reference.backbone)
    with torch.no_grad():
        reference.head.final_layer.weight.normal_(0, 0.1)
        reference.head.final_layer.bias.normal_(0, 0.1)
    ours = build(MODELS, Config.fromfile(COCO_CONFIG).model, 'litehrnet_mm')
    ours.load_state_dict(reference.state_dict(), strict=True)
    reference.eval()
    ours.eval()
    return reference, ours


def test_heatmaps_and_keypoints_equal_mmposes_with_flip_test(twins):
    reference, ours = twins
    data = get_packed_inputs(batch_size=2, num_keypoints=17,
                             img_shape=(256, 192))
    # normalized as the data preprocessor does (raw pixels would give
    # activations of 5e5 in a network with random weights, where even
    # float64 rounding grows to 1e-5 of the output)
    data['inputs'] = ours.data_preprocessor(data)['inputs']
    assert_computes_the_same(reference, ours, data['inputs'],
                             run=lambda model, x: model._forward(x))
    with torch.no_grad():
        ours_pred = ours.predict(data['inputs'], copy.deepcopy(
            data['data_samples']))
        ref_pred = reference.predict(data['inputs'], copy.deepcopy(
            data['data_samples']))
    assert ours.test_cfg['flip_test']
    for a, b in zip(ours_pred, ref_pred):
        assert a.pred_instances.keypoints.shape == (1, 17, 2)
        assert abs(a.pred_instances.keypoints -
                   b.pred_instances.keypoints).max() < 1e-3
        # the scores are heatmap maxima: float32 values that round as the
        # heatmaps do (see assert_computes_the_same), on a scale of ~50 here
        scores = b.pred_instances.keypoint_scores
        assert abs(a.pred_instances.keypoint_scores -
                   scores).max() <= 1e-4 * abs(scores).max()


def test_official_release_keys_load_unchanged(twins):
    """The official release (mmpose 0.x layout): ``keypoint_head.*``."""
    reference, _ = twins
    official = {
        k.replace('head.', 'keypoint_head.', 1) if k.startswith('head.')
        else k: v
        for k, v in reference.state_dict().items()
    }
    assert 'keypoint_head.final_layer.weight' in official
    fresh = build(MODELS, Config.fromfile(COCO_CONFIG).model, 'litehrnet_mm')
    fresh.load_state_dict(official, strict=True)
    assert torch.equal(fresh.head.final_layer.weight,
                       reference.head.final_layer.weight)


def test_loss_reports_keypoint_loss_and_accuracy(twins):
    _, ours = twins
    data = get_packed_inputs(batch_size=2, img_shape=(256, 192))
    feats = ours.extract_feat(torch.stack(data['inputs']).float())
    losses = ours.head.loss(feats, data['data_samples'])
    assert set(losses) == {'loss_kpt', 'acc_pose'}
    assert losses['loss_kpt'].requires_grad
    assert 0 <= losses['acc_pose'] <= 1
    no_acc = ours.head.loss(feats, data['data_samples'],
                            train_cfg=dict(compute_acc=False))
    assert set(no_acc) == {'loss_kpt'}


@pytest.mark.parametrize('loss', [
    dict(type='KeypointMSELoss', use_target_weight=False),
    dict(type='KeypointOHKMMSELoss', use_target_weight=True, topk=8),
    dict(type='AdaptiveWingLoss', use_target_weight=True),
])
def test_any_mmpose_keypoint_loss(loss):
    head = MODELS.build(dict(type='LiteHRNetHead', in_channels=40,
                             out_channels=17, loss=loss))
    data = get_packed_inputs(batch_size=2)
    losses = head.loss((torch.randn(2, 40, 64, 48), ), data['data_samples'])
    assert losses['loss_kpt'].dim() == 0


@pytest.mark.parametrize('codec', [
    dict(type='MSRAHeatmap', input_size=(192, 256), heatmap_size=(48, 64),
         sigma=2),
    dict(type='MSRAHeatmap', input_size=(192, 256), heatmap_size=(48, 64),
         sigma=2, unbiased=True),
    dict(type='UDPHeatmap', input_size=(192, 256), heatmap_size=(48, 64),
         sigma=2),
])
@pytest.mark.parametrize('flip_test', [False, True])
def test_decodes_with_any_heatmap_codec(codec, flip_test):
    head = MODELS.build(dict(type='LiteHRNetHead', in_channels=40,
                             out_channels=17, decoder=codec))
    data = get_packed_inputs(batch_size=2)
    feats = (torch.randn(2, 40, 64, 48), )
    if flip_test:
        feats = [feats, (torch.randn(2, 40, 64, 48), )]
    preds, heatmaps = head.predict(
        feats, data['data_samples'],
        test_cfg=dict(flip_test=flip_test, output_heatmaps=True,
                      shift_heatmap=codec['type'] == 'MSRAHeatmap'))
    assert len(preds) == 2 and len(heatmaps) == 2
    assert preds[0].keypoints.shape == (1, 17, 2)
    assert preds[0].keypoint_scores.shape == (1, 17)
    assert heatmaps[0].heatmaps.shape == (17, 64, 48)


def test_flip_test_needs_both_feature_sets():
    head = MODELS.build(dict(type='LiteHRNetHead'))
    data = get_packed_inputs(batch_size=1)
    with pytest.raises(ValueError, match='image and of its flip'):
        head.predict((torch.randn(1, 40, 64, 48), ), data['data_samples'],
                     test_cfg=dict(flip_test=True))


def clear_maxima(heatmaps: torch.Tensor, margin: float = 1e-4) -> np.ndarray:
    """Which heatmaps decode mirrored when mirrored: one maximum ahead of
    the runner-up, and neighbours on each side that differ (the decoder
    moves the peak a quarter pixel towards the larger one), by ``margin``
    (random weights can leave ties closer than the maps' rounding); and not
    in column 1 or w - 2, where mmpose's ``refine_keypoints`` is not
    symmetric (it refines x only for 1 < x < w - 1: column w - 2, not 1)."""
    k, h, w = heatmaps.shape
    top2 = heatmaps.flatten(1).topk(2, dim=1)
    clear = top2.values[:, 0] - top2.values[:, 1] > margin
    ys, xs = top2.indices[:, 0] // w, top2.indices[:, 0] % w
    padded = torch.nn.functional.pad(heatmaps, (1, 1, 1, 1))
    ks = torch.arange(k)
    dx = padded[ks, ys + 1, xs + 2] - padded[ks, ys + 1, xs]
    dy = padded[ks, ys + 2, xs + 1] - padded[ks, ys, xs + 1]
    symmetric = (xs != 1) & (xs != w - 2)
    return (clear & symmetric & (dx.abs() > margin) &
            (dy.abs() > margin)).numpy()


def test_flip_test_gives_a_flipped_image_mirrored_predictions(twins):
    """With the flip test, the heatmaps of a horizontally flipped image are
    those of the image mirrored, left and right keypoints swapped, and so
    are the decoded keypoints."""
    _, ours = twins
    torch.manual_seed(0)  # get_packed_inputs draws a random image
    np.random.seed(0)
    data = get_packed_inputs(batch_size=1, img_shape=(256, 192))
    image = torch.stack(data['inputs']).float()
    sample = data['data_samples'][0]
    flip_indices = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
    sample.set_metainfo(dict(
        flip_indices=flip_indices, input_center=np.array([[96., 128.]]),
        input_scale=np.array([[192., 256.]])))
    test_cfg = dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False,
                    output_heatmaps=True)
    outputs = []
    for x in (image, image.flip(3)):
        feats = [ours.extract_feat(x), ours.extract_feat(x.flip(3))]
        with torch.no_grad():
            outputs.append(ours.head.predict(feats, [sample], test_cfg))
    (preds, maps), (flipped_preds, flipped_maps) = outputs
    mirrored = maps[0].heatmaps.flip(2)[flip_indices]
    assert torch.allclose(flipped_maps[0].heatmaps, mirrored, atol=1e-6)
    # heatmap column c maps to input x = 4c: mirrored, x' = 4 (47 - c)
    found = (preds[0].keypoint_scores[0] > 0) & clear_maxima(maps[0].heatmaps)
    assert found.sum() >= 10
    kpts = preds[0].keypoints[0][found]
    flipped = flipped_preds[0].keypoints[0][flip_indices][found]
    assert np.allclose(flipped[:, 0], 4 * 47 - kpts[:, 0], atol=0.5)
    assert np.allclose(flipped[:, 1], kpts[:, 1], atol=0.5)
