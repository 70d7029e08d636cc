"""Run a pose model's network on onnxruntime, keeping the rest of mmpose.

:func:`use_network` puts an image-to-heatmaps network (an exported float or
INT8 model under onnxruntime, :class:`OnnxRuntimeNetwork`) in place of a pose
model's backbone and head layers; mmpose's data pipeline, flip test, codec
decoding and metrics stay as they are, so ``runner.test()``, ``init_model``
and ``inference_topdown`` measure and use the exported model as they do the
PyTorch one.
"""
from typing import Optional

import torch
import torch.nn as nn


class OnnxRuntimeNetwork(nn.Module):
    """An exported network with one input and one output (a pose network:
    ``images`` in, ``heatmaps`` out) run by onnxruntime on the CPU.

    Args:
        onnx_file (str): The ``.onnx`` file (float or INT8).
        threads (int, optional): onnxruntime's intra-op threads; None for
            its default (all cores).
    """

    def __init__(self, onnx_file: str, threads: Optional[int] = None):
        super().__init__()
        import onnxruntime
        options = onnxruntime.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
        self.onnx_file = onnx_file
        self.session = onnxruntime.InferenceSession(
            onnx_file, options, providers=['CPUExecutionProvider'])
        self.input_name = self.session.get_inputs()[0].name
        self.output_name = self.session.get_outputs()[0].name

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """The output (heatmaps (N, K, h, w) for a pose network) of
        normalized images (N, 3, H, W)."""
        (output, ) = self.session.run(
            [self.output_name],
            {self.input_name: images.detach().cpu().numpy()})
        return torch.from_numpy(output)


class _HeatmapsAsFeatures(nn.Module):
    """Stands in for the backbone: the network's heatmaps as the one
    feature map the head reads."""

    def __init__(self, network: nn.Module):
        super().__init__()
        self.network = network

    def forward(self, images: torch.Tensor) -> tuple:
        return (self.network(images), )


def use_network(pose_model: nn.Module, network: nn.Module) -> nn.Module:
    """Make ``pose_model`` compute its heatmaps with ``network``.

    Args:
        pose_model (nn.Module): A top-down heatmap pose estimator (this
            package's head or mmpose's ``HeatmapHead`` without deconvolution
            layers); changed in place.
        network (nn.Module): Normalized images (N, 3, H, W) to heatmaps
            (N, K, h, w), e.g. :class:`OnnxRuntimeNetwork`.

    Returns:
        nn.Module: ``pose_model``, its backbone replaced by ``network`` and
        its head's layers by a pass-through; decoding and flip test as
        before.
    """
    head = pose_model.head
    for layers in ('deconv_layers', 'conv_layers'):
        if not isinstance(getattr(head, layers, nn.Identity()), nn.Identity):
            raise ValueError(
                f'{type(head).__name__} has {layers}; the exported network '
                'would have to replace them too, which is not supported')
    pose_model.backbone = _HeatmapsAsFeatures(network)
    head.final_layer = nn.Identity()
    head.in_channels = head.out_channels
    return pose_model
