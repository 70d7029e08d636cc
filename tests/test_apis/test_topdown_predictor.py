"""TopdownPredictor gives what mmpose's inference_topdown gives, on every
backend, and says clearly when a config or a graph does not fit it."""
import copy
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from helpers import COCO_CONFIG, SYNTHETIC_CONFIG
from mmengine.config import Config
from mmpose.apis import MMPoseInferencer, init_model
from mmpose.apis import inference_topdown as mmpose_inference_topdown

from litehrnet_mm.apis import TopdownPredictor
from litehrnet_mm.deploy import OnnxRuntimeNetwork, use_network

BOXES = {
    'xyxy': [[10, 20, 150, 230], [40, 5, 120, 200], [0, 0, 60, 90]],
    'xywh': [[10, 20, 140, 210], [100.5, 40.25, 80, 150]],
}


@pytest.fixture(scope='module')
def model(fitted_export):
    """The 128x96 config's model fitted to the generated people."""
    return init_model(str(SYNTHETIC_CONFIG), fitted_export['checkpoint'],
                      device='cpu')


@pytest.fixture(scope='module')
def graphs(fitted_export):
    """The model's deploy-mode export (dynamic batch) and its INT8
    quantization, by the pytorch2onnx tool."""
    return {'float': fitted_export['float'], 'int8': fitted_export['int8']}


@pytest.fixture(scope='module')
def image(coco_root):
    return str(sorted((coco_root / 'val').glob('*.jpg'))[0])


def _assert_same_samples(ours, theirs, atol):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert set(a.metainfo) == set(b.metainfo)
        for key, value in b.metainfo.items():
            assert np.array_equal(np.asarray(a.metainfo[key]),
                                  np.asarray(value)), key
        for field in ('gt_instances', 'pred_instances'):
            ours_field, theirs_field = a.get(field), b.get(field)
            assert set(ours_field.keys()) == set(theirs_field.keys())
        for key, value in b.gt_instances.items():
            np.testing.assert_array_equal(a.gt_instances[key], value)
            assert a.gt_instances[key].dtype == value.dtype, key
        np.testing.assert_allclose(a.pred_instances.keypoints,
                                   b.pred_instances.keypoints, atol=atol)
        np.testing.assert_allclose(a.pred_instances.keypoint_scores,
                                   b.pred_instances.keypoint_scores,
                                   atol=1e-4)


@pytest.mark.parametrize('bbox_format,boxes', [
    ('xyxy', BOXES['xyxy']),
    ('xywh', BOXES['xywh']),
    ('xyxy', None),
])
def test_pytorch_backend_gives_mmpose_results(model, image, bbox_format,
                                              boxes):
    """Deploy mode under PyTorch: keypoints within the issue's 0.5 px of
    mmpose's eager model, every other field equal."""
    predictor = TopdownPredictor(model)
    theirs = mmpose_inference_topdown(model, image, boxes, bbox_format)
    ours = predictor(image, boxes, bbox_format)
    assert len(ours) == (len(boxes) if boxes else 1)
    _assert_same_samples(ours, theirs, atol=0.5)


@pytest.mark.parametrize('graph', ['float', 'int8'])
@pytest.mark.parametrize('batch_parallel', [True, False])
def test_onnxruntime_backend_gives_mmpose_results(model, graphs, image,
                                                  graph, batch_parallel):
    """The same graph inside mmpose's inference_topdown (box by box, two
    network calls) and in the predictor (all boxes and mirrors in one
    call, split over sessions or not) gives the same keypoints, to the
    bit."""
    predictor = TopdownPredictor(model, graphs[graph], threads=2,
                                 batch_parallel=batch_parallel)
    reference = use_network(copy.deepcopy(model),
                            OnnxRuntimeNetwork(graphs[graph], threads=1))
    theirs = mmpose_inference_topdown(reference, image, BOXES['xyxy'])
    ours = predictor(image, BOXES['xyxy'])
    _assert_same_samples(ours, theirs, atol=0)


def test_loaded_image_and_file_give_the_same_keypoints(model, image):
    predictor = TopdownPredictor(model)
    loaded = cv2.imread(image)
    from_file = predictor(Path(image), BOXES['xyxy'])
    from_array = predictor(loaded, BOXES['xyxy'])
    for a, b in zip(from_file, from_array):
        np.testing.assert_array_equal(a.pred_instances.keypoints,
                                      b.pred_instances.keypoints)
    assert from_file[0].img_path == image
    _assert_same_samples(
        from_array, mmpose_inference_topdown(model, loaded, BOXES['xyxy']),
        atol=0.5)


def test_output_heatmaps_as_mmpose(model, image):
    """``test_cfg.output_heatmaps`` adds the averaged heatmaps, as
    mmpose's predict does."""
    heatmap_model = copy.deepcopy(model)
    heatmap_model.test_cfg = dict(heatmap_model.test_cfg,
                                  output_heatmaps=True)
    ours = TopdownPredictor(heatmap_model)(image, BOXES['xyxy'][:1])
    theirs = mmpose_inference_topdown(heatmap_model, image,
                                      BOXES['xyxy'][:1])
    torch.testing.assert_close(ours[0].pred_fields.heatmaps,
                               theirs[0].pred_fields.heatmaps,
                               atol=1e-4, rtol=0)


def test_bad_boxes_are_named(model, image):
    predictor = TopdownPredictor(model)
    with pytest.raises(ValueError, match=r'bboxes\[1\] .* at least one'):
        predictor(image, [[10, 20, 150, 230], [50, 50, 50, 80]])
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        predictor('missing.jpg', BOXES['xyxy'])


def test_other_test_pipelines_are_refused(model):
    other = copy.deepcopy(model)
    other.cfg = Config(copy.deepcopy(model.cfg._cfg_dict.to_dict()))
    other.cfg.test_dataloader.dataset.pipeline.insert(
        1, dict(type='RandomFlip', prob=0.0))
    with pytest.raises(ValueError, match="RandomFlip.*inference_topdown"):
        TopdownPredictor(other)


def test_graphs_that_do_not_fit_are_refused(model, graphs, tmp_path):
    import onnx
    graph = onnx.load(graphs['float'])
    graph.graph.input[0].type.tensor_type.shape.dim[0].dim_value = 1
    fixed = str(tmp_path / 'fixed.onnx')
    onnx.save(graph, fixed)
    with pytest.raises(ValueError, match='fixed at 1 .*--dynamic-batch'):
        TopdownPredictor(model, fixed)
    coco_model = init_model(str(COCO_CONFIG), None, device='cpu')
    with pytest.raises(ValueError, match="input is 128x96, the config's "
                       '256x192'):
        TopdownPredictor(coco_model, graphs['float'])


@pytest.mark.parametrize('images_per_run, runs', [
    (2, [[2, 1], [2]]),  # parts of 3 and 2 images, in runs of 2 at most
    (1, [[1, 1, 1], [1, 1]]),
    (8, [[3], [2]]),
])
def test_batch_parallel_sessions_give_one_session_output(
        graphs, images_per_run, runs):
    images = torch.randn(5, 3, 128, 96)
    one = OnnxRuntimeNetwork(graphs['float'], threads=2)
    split = OnnxRuntimeNetwork(graphs['float'], threads=2,
                               batch_parallel=True,
                               images_per_run=images_per_run)
    assert len(split.sessions) == 2
    seen = [[], []]

    class Recorded:

        def __init__(self, session, batches):
            self.session, self.batches = session, batches

        def run(self, names, feeds):
            self.batches.append(len(next(iter(feeds.values()))))
            return self.session.run(names, feeds)

    split.sessions = [Recorded(s, b) for s, b in zip(split.sessions, seen)]
    torch.testing.assert_close(split(images), one(images), atol=1e-6,
                               rtol=0)
    assert seen == runs
    torch.testing.assert_close(split(images[:1]), one(images[:1]),
                               atol=1e-6, rtol=0)


def test_a_run_of_no_images_is_refused(graphs):
    with pytest.raises(ValueError, match='images_per_run must be at least '
                       '1, got 0'):
        OnnxRuntimeNetwork(graphs['float'], batch_parallel=True,
                           images_per_run=0)


def test_mmpose_inferencer_runs_the_graph_through_use_network(
        model, graphs, image):
    """MMPoseInferencer users get the exported graph (batch-parallel) with
    ``use_network``: the predictor's keypoints for the whole image."""
    inferencer = MMPoseInferencer(pose2d=str(SYNTHETIC_CONFIG), device='cpu',
                                  scope='litehrnet_mm',
                                  det_model='whole_image')
    pose_model = inferencer.inferencer.model
    pose_model.load_state_dict(model.state_dict())
    use_network(pose_model, OnnxRuntimeNetwork(graphs['float'], threads=2,
                                               batch_parallel=True))
    result = next(inferencer(image, return_datasamples=True))
    (sample, ) = result['predictions']
    (expected, ) = TopdownPredictor(model, graphs['float'])(image)
    np.testing.assert_array_equal(sample.pred_instances.keypoints,
                                  expected.pred_instances.keypoints)
