"""projects/litehrnet_seg: Lite-HRNet semantic segmentation in
MMSegmentation: configs that build, clear errors for heads that do not fit
the backbone, training and IoUMetric through mim, mmseg's inference API,
deploy mode and ONNX."""
import copy
import re
import sys

import numpy as np
import pytest
import torch
from helpers import (
    CONFIGS,
    REPO,
    SEG_PROJECT,
    SEG_QUICKSTART,
    randomize_like_trained,
    run,
)
from mmengine.config import Config

from litehrnet_mm.datasets import PART_CLASSES

if str(REPO) not in sys.path:  # configs import projects.litehrnet_seg
    sys.path.append(str(REPO))

SEG_CONFIGS = sorted(p.name for p in (SEG_PROJECT / 'configs').glob('*.py'))
# config: (variant, parameters: the pose backbone's and a 1x1 conv from the
# 320 concatenated channels to Cityscapes' 19 classes)
CITYSCAPES = {
    'fcn_litehrnet-18_4xb2-160k_cityscapes-512x1024.py': (
        'litehrnet-18', 1_130_072 + 320 * 19 + 19),
    'fcn_litehrnet-30_4xb2-160k_cityscapes-512x1024.py': (
        'litehrnet-30', 1_763_020 + 320 * 19 + 19),
}


def build(config, **model_changes):
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    cfg = Config.fromfile(config)
    if model_changes:
        cfg.merge_from_dict(dict(model=model_changes))
    init_default_scope('mmseg')
    return MODELS.build(cfg.model)


def test_the_configs_are_the_ones_documented():
    assert set(CITYSCAPES) | {SEG_QUICKSTART.name} == set(SEG_CONFIGS)


@pytest.mark.parametrize('name', sorted(CITYSCAPES))
def test_cityscapes_configs_build_the_pose_architecture(name):
    variant, params = CITYSCAPES[name]
    model = build(SEG_PROJECT / 'configs' / name)
    assert type(model).__name__ == 'CheckedEncoderDecoder'
    assert sum(p.numel() for p in model.parameters()) == params
    pose = Config.fromfile(CONFIGS / '_base_' / 'models' / f'{variant}.py')
    assert (model.backbone.extra == pose.model.backbone.extra.to_dict())
    assert model.backbone.out_channels == [40, 40, 80, 160]
    cfg = Config.fromfile(SEG_PROJECT / 'configs' / name)
    assert cfg.train_dataloader.dataset.type == 'CityscapesDataset'
    assert cfg.val_evaluator.type == 'IoUMetric'
    assert cfg.crop_size == (512, 1024)


def test_part_map_labels_the_people_drawn(parts_root):
    import cv2
    labels = [cv2.imread(str(p), cv2.IMREAD_UNCHANGED)
              for p in sorted((parts_root / 'ann_dir' / 'val').glob('*.png'))]
    images = sorted((parts_root / 'img_dir' / 'val').glob('*.jpg'))
    assert len(labels) == len(images) == 4
    assert all(m.shape == (256, 320) and m.dtype == np.uint8 for m in labels)
    counts = np.bincount(np.concatenate([m.ravel() for m in labels]),
                         minlength=len(PART_CLASSES))
    assert len(counts) == len(PART_CLASSES) and (counts > 0).all()


@pytest.mark.parametrize('changes, message', [
    (dict(decode_head=dict(in_channels=[40, 80, 160, 320], channels=600)),
     r'decode_head expects in_channels=600 .* but the backbone gives 320: '
     r'the concatenation of \[40, 40, 80, 160\]'),
    (dict(decode_head=dict(in_index=(0, 1, 2, 4))),
     r'decode_head.in_index=\(0, 1, 2, 4\) reads backbone output\(s\) \[4\], '
     r'but the backbone returns 4'),
    (dict(backbone=dict(out_indices=(0, 1, 2, 4))),
     r'out_indices=\(0, 1, 2, 4\) asks for branches the network does not '
     r'have'),
    (dict(auxiliary_head=dict(
        type='FCNHead', in_channels=64, in_index=1, channels=64,
        num_convs=1, num_classes=5)),
     r'auxiliary_head expects in_channels=64 .* the backbone gives 40'),
])
def test_heads_that_do_not_fit_the_backbone_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        build(SEG_QUICKSTART, **changes)


def test_mim_train_and_test_report_miou(seg_trained):
    checkpoint, metrics = seg_trained
    assert 0 <= metrics['mIoU'] <= 100
    meta = torch.load(checkpoint, map_location='cpu',
                      weights_only=False)['meta']
    assert meta['dataset_meta']['classes'] == PART_CLASSES


def test_mmseg_inference_api_returns_a_map_of_the_image_size(
        seg_trained, parts_root):
    from mmseg.apis import MMSegInferencer, inference_model, init_model
    checkpoint, _ = seg_trained
    image = sorted((parts_root / 'img_dir' / 'val').glob('*.jpg'))[0]
    model = init_model(str(SEG_QUICKSTART), str(checkpoint), device='cpu')
    result = inference_model(model, str(image))
    assert result.pred_sem_seg.data.shape == (1, 256, 320)
    assert result.seg_logits.data.shape == (len(PART_CLASSES), 256, 320)
    inferencer = MMSegInferencer(str(SEG_QUICKSTART), str(checkpoint),
                                 device='cpu')
    prediction = inferencer(str(image))['predictions']
    assert prediction.shape == (256, 320)
    assert np.array_equal(prediction,
                          result.pred_sem_seg.data[0].numpy())


def _trained_looking(name):
    """A segmentation model with trained-looking weights at a trained
    network's scale (norm gains below one), as the pose deploy tests."""
    from mmengine.model import revert_sync_batchnorm
    torch.manual_seed(0)
    model = revert_sync_batchnorm(build(SEG_PROJECT / 'configs' / name))
    randomize_like_trained(model.backbone, gain=(0.2, 0.6), size=(64, 128))
    return model.eval()


@pytest.mark.parametrize('name', sorted(CITYSCAPES))
def test_deploy_mode_is_exact_in_double_precision(name):
    from litehrnet_mm.deploy import switch_to_deploy
    from projects.litehrnet_seg.models import SegmentationNetwork
    model = _trained_looking(name).double()
    deployed = switch_to_deploy(copy.deepcopy(model))
    assert not any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
                   for m in deployed.modules())
    images = torch.randn(2, 3, 64, 128, dtype=torch.float64)
    with torch.no_grad():
        expected = SegmentationNetwork(model)(images)
        diff = (SegmentationNetwork(deployed)(images) - expected).abs().max()
    assert expected.shape == (2, 19, 64, 128)
    assert diff < 1e-9


def test_deploy_mode_gives_the_same_logits_in_float32():
    """Deploy mode against eager mode in float32; the export of the deploy
    mode is checked against it by the tool test below."""
    name = 'fcn_litehrnet-18_4xb2-160k_cityscapes-512x1024.py'
    from litehrnet_mm.deploy import switch_to_deploy
    from projects.litehrnet_seg.models import SegmentationNetwork
    model = _trained_looking(name)
    network = SegmentationNetwork(model)
    deployed = SegmentationNetwork(switch_to_deploy(copy.deepcopy(model)))
    images = torch.randn(2, 3, 64, 128)
    with torch.no_grad():
        expected = network(images)
        assert expected.abs().max() > 0.1
        assert (deployed(images) - expected).abs().max() <= 1e-4


def test_export_and_picture_tools_run_on_a_trained_checkpoint(
        seg_trained, parts_root, tmp_path):
    checkpoint, _ = seg_trained
    tools = SEG_PROJECT / 'tools'
    onnx_file = tmp_path / 'onnx' / 'seg.onnx'
    out = run([sys.executable, tools / 'pytorch2onnx.py', SEG_QUICKSTART,
               checkpoint, '--output-file', onnx_file, '--shape', '1', '3',
               '64', '80', '--dynamic-batch', '--deploy', '--verify'])
    assert onnx_file.is_file()
    assert 'input Nx3x64x80' in out.stdout
    # a batch of two through onnxruntime against the deploy-mode network
    diff = re.search(r'onnxruntime vs PyTorch: max abs difference (\S+)',
                     out.stdout).group(1)
    assert float(diff) <= 1e-4
    montage = tmp_path / 'montage.png'
    run([sys.executable, tools / 'visualize_predictions.py', SEG_QUICKSTART,
         checkpoint, '--img-dir', parts_root / 'img_dir' / 'val',
         '--ann-dir', parts_root / 'ann_dir' / 'val', '--num', '3',
         '--out-dir', tmp_path / 'vis', '--montage', montage])
    import cv2
    pictures = sorted((tmp_path / 'vis').glob('*.png'))
    assert len(pictures) == 3
    # ground truth beside the prediction, each the image's size
    assert cv2.imread(str(pictures[0])).shape == (256, 640, 3)
    assert cv2.imread(str(montage)).shape == (512, 1280, 3)
