"""Run a pose model's network on onnxruntime, keeping the rest of mmpose.

:func:`use_network` puts an image-to-heatmaps network (an exported float or
INT8 model under onnxruntime, :class:`OnnxRuntimeNetwork`) in place of a pose
model's backbone and head layers; mmpose's data pipeline, flip test, codec
decoding and metrics stay as they are, so ``runner.test()``, ``init_model``
and ``inference_topdown`` measure and use the exported model as they do the
PyTorch one.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import numpy as np
import torch
import torch.nn as nn


class OnnxRuntimeNetwork(nn.Module):
    """An exported network with one input and one output (a pose network:
    ``images`` in, ``heatmaps`` out) run by onnxruntime on the CPU.

    Args:
        onnx_file (str): The ``.onnx`` file (float or INT8).
        threads (int, optional): onnxruntime's intra-op threads; None for
            its default (all cores).
        batch_parallel (bool): Instead of one session whose operators use
            ``threads`` threads, run ``threads`` single-threaded sessions
            (None: one per core) on consecutive parts of the batch at the
            same time, each its part in runs of at most
            ``images_per_run`` images. The outputs are the same; for this
            network's many small operators it is faster than splitting each
            operator, and short runs keep a run's maps in the caches
            (``docs/speed_notes.md``, "The whole top-down pipeline").
            Defaults to False.
        images_per_run (int): The largest batch a batch-parallel session
            runs at once. Defaults to 2 (the fastest for Lite-HRNet-18 on
            2 cores: ``docs/speed_notes.md``).
    """

    def __init__(self,
                 onnx_file: str,
                 threads: Optional[int] = None,
                 batch_parallel: bool = False,
                 images_per_run: int = 2):
        super().__init__()
        if images_per_run < 1:
            raise ValueError(
                f'images_per_run must be at least 1, got {images_per_run}')
        self.onnx_file = onnx_file
        self.batch_parallel = batch_parallel
        self.images_per_run = images_per_run
        if batch_parallel:
            workers = threads or os.cpu_count() or 1
            self.sessions = [_session(onnx_file, 1) for _ in range(workers)]
            self.pool = ThreadPoolExecutor(workers) if workers > 1 else None
        else:
            self.sessions = [_session(onnx_file, threads)]
            self.pool = None
        self.session = self.sessions[0]
        self.input_name = self.session.get_inputs()[0].name
        self.output_name = self.session.get_outputs()[0].name

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """The output (heatmaps (N, K, h, w) for a pose network) of
        normalized images (N, 3, H, W)."""
        images = images.detach().cpu().numpy()
        if not self.batch_parallel:
            return torch.from_numpy(self._run(self.session, images))
        parts = np.array_split(images, min(len(self.sessions), len(images)))
        if self.pool is None or len(parts) == 1:
            outputs = map(self._run_in_short_runs, self.sessions, parts)
        else:
            outputs = self.pool.map(self._run_in_short_runs, self.sessions,
                                    parts)
        return torch.from_numpy(np.concatenate(list(outputs)))

    def _run_in_short_runs(self, session, images: np.ndarray) -> np.ndarray:
        step = self.images_per_run
        if len(images) <= step:
            return self._run(session, images)
        return np.concatenate([
            self._run(session, images[start:start + step])
            for start in range(0, len(images), step)
        ])

    def _run(self, session, images: np.ndarray) -> np.ndarray:
        (output, ) = session.run([self.output_name],
                                 {self.input_name: images})
        return output


def _session(onnx_file: str, threads: Optional[int]):
    """An onnxruntime CPU session with ``threads`` intra-op threads."""
    import onnxruntime
    options = onnxruntime.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
    return onnxruntime.InferenceSession(
        onnx_file, options, providers=['CPUExecutionProvider'])


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
