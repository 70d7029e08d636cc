"""The whole top-down pipeline for all the boxes of an image at once.

mmpose's ``inference_topdown`` runs its test pipeline box by box: for an
image file it reads and decodes the file once per box, then cuts, packs and
collates each box, and calls the network twice (the image batch and its
mirror for the flip test). :class:`TopdownPredictor` takes the same inputs
and gives the same ``PoseDataSample`` s, doing each step once per image:

- the image is read once (the config's ``LoadImage``);
- box centres and scales are computed for all boxes in one call (the
  config's ``GetBBoxCenterScale``), their aspect ratio fixed in one call;
- the crops are cut straight into one batch array, one ``cv2.warpAffine``
  per box with mmpose's warp matrix and interpolation (the same pixels as
  mmpose's ``TopdownAffine``);
- the images and their mirrors go through the network in one call, on the
  chosen backend: PyTorch in deploy mode, or an exported float or INT8
  graph under onnxruntime;
- flipping back, averaging, the codec's decoding and the mapping to image
  coordinates are mmpose's own (``flip_heatmaps``, ``head.decode``,
  ``add_pred_to_datasample``).
"""
import copy
import os
from typing import List, Optional, Sequence, Union

import cv2
import numpy as np
import torch
import torch.nn as nn
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmpose.datasets.transforms import TopdownAffine
from mmpose.models.utils.tta import flip_heatmaps
from mmpose.structures import PoseDataSample, bbox_xywh2xyxy
from mmpose.structures.bbox import get_udp_warp_matrix, get_warp_matrix

from ..datasets import CheckTopdownInput
from ..deploy.backend import OnnxRuntimeNetwork
from ..deploy.onnx_export import HeatmapNetwork
from ..deploy.switch_to_deploy import switch_to_deploy
from .inference import ImageType, _check_boxes, _check_image

#: The test pipeline this predictor runs, in this order. The configs'
#: ``CheckTopdownInput`` may stand among them: the predictor makes the same
#: checks of the image and all boxes before it starts.
SUPPORTED_PIPELINE = ('LoadImage', 'GetBBoxCenterScale', 'TopdownAffine',
                      'PackPoseInputs')


class TopdownPredictor:
    """mmpose's ``inference_topdown`` for all boxes at once, on a chosen
    backend.

    Args:
        model (nn.Module): A top-down heatmap pose estimator from mmpose's
            ``init_model`` (its config, dataset meta, data preprocessor,
            flip-test settings and codec are used; the model itself is not
            changed).
        onnx_file (str, optional): An exported graph of this model
            (``pytorch2onnx.py --deploy --dynamic-batch``, float or
            ``--int8``) to run under onnxruntime. Defaults to None: the
            model's network in deploy mode, under PyTorch.
        threads (int, optional): onnxruntime's threads. Defaults to None
            (one per core).
        batch_parallel (bool): onnxruntime runs one single-threaded
            session per thread on consecutive parts of the batch (the
            images and their mirrors, for the flip test) instead of one
            session splitting each operator (see
            :class:`~litehrnet_mm.deploy.OnnxRuntimeNetwork`). Defaults to
            True.

    Raises:
        ValueError: The config's test pipeline has a step other than
            :data:`SUPPORTED_PIPELINE`, or the graph does not fit the
            model (input size, keypoint count, a fixed batch size).
    """

    def __init__(self,
                 model: nn.Module,
                 onnx_file: Optional[str] = None,
                 threads: Optional[int] = None,
                 batch_parallel: bool = True):
        self.model = model
        cfg = model.cfg
        init_default_scope(cfg.get('default_scope', 'mmpose'))
        steps = [step['type'].split('.')[-1]
                 for step in cfg.test_dataloader.dataset.pipeline]
        if tuple(s for s in steps if s != 'CheckTopdownInput'
                 ) != SUPPORTED_PIPELINE:
            raise ValueError(
                'TopdownPredictor runs the test pipeline '
                f'{list(SUPPORTED_PIPELINE)} (with or without '
                f'CheckTopdownInput); this config has {steps}. Use '
                'litehrnet_mm.apis.inference_topdown (box by box) for it')
        pipeline = [t for t in Compose(cfg.test_dataloader.dataset.pipeline
                                       ).transforms
                    if not isinstance(t, CheckTopdownInput)]
        self.load, self.center_scale, affine, self.pack = pipeline
        self.input_size = tuple(affine.input_size)
        self.warp_matrix = (get_udp_warp_matrix
                            if affine.use_udp else get_warp_matrix)
        self.test_cfg = model.test_cfg or {}
        if onnx_file is None:
            self.network = HeatmapNetwork(
                switch_to_deploy(copy.deepcopy(model)))
        else:
            self.network = OnnxRuntimeNetwork(onnx_file, threads,
                                              batch_parallel)
            self._check_graph(onnx_file)

    def __call__(self,
                 img: ImageType,
                 bboxes: Optional[Union[Sequence, np.ndarray]] = None,
                 bbox_format: str = 'xyxy') -> List[PoseDataSample]:
        """Keypoints of the people in ``bboxes``, as mmpose's
        ``inference_topdown(model, img, bboxes, bbox_format)`` gives them.

        Args:
            img (str | PathLike | np.ndarray): An image file, or a loaded
                ``uint8`` BGR image of shape (H, W, 3).
            bboxes (array-like, optional): Person boxes in pixels, shape
                (N, 4). Defaults to None (the whole image is one box).
            bbox_format (str): ``'xyxy'`` or ``'xywh'``. Defaults to
                ``'xyxy'``.

        Returns:
            list[PoseDataSample]: One per box, with the fields and meta
            information of mmpose's results (keypoints and their scores in
            ``pred_instances``).
        """
        if isinstance(img, os.PathLike):
            img = os.fspath(img)
        width, height = _check_image(img)
        if bboxes is None or len(bboxes) == 0:
            bboxes = np.array([[0, 0, width, height]], dtype=np.float32)
        else:
            checked = _check_boxes(bboxes, bbox_format, width, height)
            # the caller's values and dtype, as mmpose keeps them
            bboxes = np.asarray(bboxes).reshape(checked.shape)
            if bbox_format == 'xywh':
                bboxes = bbox_xywh2xyxy(bboxes)
        image = self.load(
            dict(img=img) if isinstance(img, np.ndarray) else dict(
                img_path=img))
        samples = self._crops_and_samples(image, bboxes)
        data = self.model.data_preprocessor(samples, training=False)
        with torch.no_grad():
            heatmaps = self._heatmaps(data['inputs'],
                                      data['data_samples'])
            predictions = self.model.head.decode(heatmaps)
        fields = None
        if self.test_cfg.get('output_heatmaps', False):
            fields = [PixelData(heatmaps=h) for h in heatmaps]
        return self.model.add_pred_to_datasample(predictions, fields,
                                                 data['data_samples'])

    def _crops_and_samples(self, image: dict, bboxes: np.ndarray) -> dict:
        """All boxes cut into one batch array and packed as mmpose's test
        pipeline packs each: ``{'inputs': [...], 'data_samples': [...]}``."""
        boxes = self.center_scale(dict(bbox=bboxes))
        centers = boxes['bbox_center']
        width, height = self.input_size
        scales = TopdownAffine._fix_aspect_ratio(boxes['bbox_scale'],
                                                 aspect_ratio=width / height)
        source = image['img']
        crops = np.empty((len(bboxes), height, width, source.shape[2]),
                         source.dtype)
        packed = dict(inputs=[], data_samples=[])
        for i, (center, scale) in enumerate(zip(centers, scales)):
            matrix = self.warp_matrix(center, scale, 0., (width, height))
            cv2.warpAffine(source, matrix, (width, height), dst=crops[i],
                           flags=cv2.INTER_LINEAR)
            box = dict(image, img=crops[i], bbox=bboxes[i:i + 1],
                       bbox_score=np.ones(1, dtype=np.float32),
                       bbox_center=centers[i:i + 1],
                       bbox_scale=scales[i:i + 1],
                       transformed_keypoints=np.zeros([]),
                       keypoints_visible=np.ones((1, 1, 1)),
                       input_size=(width, height), input_center=center,
                       input_scale=scale, **self.model.dataset_meta)
            result = self.pack(box)
            packed['inputs'].append(result['inputs'])
            packed['data_samples'].append(result['data_samples'])
        return packed

    def _heatmaps(self, inputs: torch.Tensor, samples: list) -> torch.Tensor:
        """The network's heatmaps, with mmpose's flip test: the images and
        their mirrors in one call."""
        if not self.test_cfg.get('flip_test', False):
            return self.network(inputs)
        both = self.network(torch.cat([inputs, inputs.flip(-1)]))
        heatmaps, mirrored = both.split(len(inputs))
        mirrored = flip_heatmaps(
            mirrored.contiguous(),
            flip_mode=self.test_cfg.get('flip_mode', 'heatmap'),
            flip_indices=samples[0].metainfo['flip_indices'],
            shift_heatmap=self.test_cfg.get('shift_heatmap', False))
        return (heatmaps + mirrored) * 0.5

    def _check_graph(self, onnx_file: str) -> None:
        """The graph takes this config's input size with any batch size
        and gives one heatmap per keypoint."""
        session = self.network.session
        batch, _, height, width = session.get_inputs()[0].shape
        keypoints = session.get_outputs()[0].shape[1]
        problems = []
        if (height, width) != self.input_size[::-1]:
            problems.append(f'its input is {height}x{width}, the config\'s '
                            f'{self.input_size[1]}x{self.input_size[0]}')
        if isinstance(batch, int):
            problems.append(f'its batch size is fixed at {batch} (export '
                            'with --dynamic-batch)')
        expected = self.model.head.out_channels
        if isinstance(keypoints, int) and keypoints != expected:
            problems.append(f'it gives {keypoints} heatmaps, the model '
                            f'{expected} keypoints')
        if problems:
            raise ValueError(f'{onnx_file} does not fit this model: ' +
                             '; '.join(problems))
