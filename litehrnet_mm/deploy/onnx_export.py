"""ONNX export of the pose network (backbone + head, image → heatmaps),
or of any network from an image batch to one tensor."""
import os.path as osp
from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmengine.utils import mkdir_or_exist
from mmpose.models.pose_estimators.base import BasePoseEstimator

from .backend import OnnxRuntimeNetwork


class HeatmapNetwork(nn.Module):
    """A top-down pose model's network alone: normalized image batch in,
    keypoint heatmaps out (no data preprocessor, no decoding).

    Args:
        pose_model (nn.Module): An mmpose pose estimator.
    """

    def __init__(self, pose_model: nn.Module):
        super().__init__()
        self.pose_model = pose_model

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Heatmaps (N, K, H/4, W/4) of images (N, 3, H, W)."""
        return self.pose_model._forward(images)


def export_onnx(model: nn.Module,
                output_file: str,
                shape: Sequence[int] = (1, 3, 256, 192),
                dynamic_batch: bool = False,
                opset: int = 18,
                output_name: str = 'heatmaps') -> str:
    """Export a pose network, or another image network, to ONNX.

    Args:
        model (nn.Module): A pose estimator (exported as its
            :class:`HeatmapNetwork`) or a module from a normalized image
            batch to one tensor, eager or switched to deploy mode.
        output_file (str): Where to write the ``.onnx`` file.
        shape (sequence[int]): Input shape N, C, H, W. Defaults to
            (1, 3, 256, 192).
        dynamic_batch (bool): Let the batch dimension vary. Defaults to
            False.
        opset (int): ONNX opset, at least 17. Defaults to 18.
        output_name (str): The graph output's name (its input is
            ``images``). Defaults to ``'heatmaps'``.

    Returns:
        str: ``output_file``.
    """
    if opset < 17:
        raise ValueError(f'opset must be at least 17, got {opset}')
    model = network_of(model)
    model.eval()
    dynamic_shapes = None
    if dynamic_batch:
        dynamic_shapes = {'images': {0: torch.export.Dim('batch', min=1)}}
        # torch.export fixes a dimension whose example size is 1
        shape = (max(2, shape[0]), *shape[1:])
    images = torch.randn(*shape)
    with torch.no_grad():
        torch.onnx.export(
            model, (images, ),
            output_file,
            input_names=['images'],
            output_names=[output_name],
            opset_version=opset,
            dynamo=True,
            dynamic_shapes=dynamic_shapes,
            external_data=False,
            verbose=False)
    return output_file


#: The largest difference to PyTorch that ``--verify`` accepts.
VERIFY_TOLERANCE = 1e-4


def export_and_verify(model: nn.Module,
                      output_file: str,
                      shape: Sequence[int] = (1, 3, 256, 192),
                      dynamic_batch: bool = False,
                      opset: int = 18,
                      output_name: str = 'heatmaps',
                      verify: bool = False) -> Optional[float]:
    """What the export tools do: :func:`export_onnx` into a folder made if
    missing, printing the file and its input shape; then, with ``verify``,
    onnxruntime against PyTorch on random images of the input shape (a
    batch of two when the batch is dynamic, so that the dynamic dimension
    is exercised), printing the largest difference.

    Args:
        model (nn.Module): As for :func:`export_onnx`.
        output_file (str): The ``.onnx`` file.
        shape (sequence[int]): Input shape N, C, H, W.
        dynamic_batch (bool): Let the batch dimension vary.
        opset (int): ONNX opset, at least 17.
        output_name (str): The graph output's name.
        verify (bool): Compare with onnxruntime.

    Returns:
        float, optional: The largest absolute difference, when verified.

    Raises:
        SystemExit: The difference is above :data:`VERIFY_TOLERANCE`.
    """
    mkdir_or_exist(osp.dirname(osp.abspath(output_file)))
    export_onnx(model, output_file, shape, dynamic_batch, opset, output_name)
    batch = 'N' if dynamic_batch else shape[0]
    print(f'exported {output_file} (opset {opset}, input '
          f'{batch}x{shape[1]}x{shape[2]}x{shape[3]})')
    if not verify:
        return None
    images = torch.randn(2 if dynamic_batch else shape[0], *shape[1:])
    diff = max_difference_to_onnxruntime(model, output_file, images)
    print(f'onnxruntime vs PyTorch: max abs difference {diff:.2e}')
    if diff > VERIFY_TOLERANCE:
        raise SystemExit(f'verification failed: {diff:.2e} > '
                         f'{VERIFY_TOLERANCE:g}')
    return diff


def max_difference_to_onnxruntime(model: nn.Module, onnx_file: str,
                                  images: torch.Tensor) -> float:
    """Largest absolute output difference between PyTorch and
    onnxruntime (CPU) on ``images``.

    Args:
        model (nn.Module): The pose estimator or network that was
            exported.
        onnx_file (str): The exported file.
        images (Tensor): Input batch (N, 3, H, W).

    Returns:
        float: max |PyTorch - onnxruntime|.
    """
    model = network_of(model)
    with torch.no_grad():
        expected = model.eval()(images)
    actual = OnnxRuntimeNetwork(onnx_file)(images)
    return (actual - expected).abs().max().item()


def network_of(model: nn.Module) -> nn.Module:
    """The network alone, image batch in, one tensor out: a pose
    estimator's :class:`HeatmapNetwork`; other modules as they are (an
    mmseg segmentor called on images runs its ``'tensor'`` mode, class
    logits at the decode head's resolution).

    Args:
        model (nn.Module): A pose estimator, a segmentor or a network.

    Returns:
        nn.Module: The module to call on a normalized image batch.
    """
    if isinstance(model, BasePoseEstimator):
        return HeatmapNetwork(model)
    return model
