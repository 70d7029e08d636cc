"""Post-training static INT8 quantization of an exported pose network.

The float ONNX graph (best the deploy-mode one: batch norms folded) is
quantized with onnxruntime's tools: QDQ format, weights per channel as
signed 8-bit, activations as unsigned 8-bit with ranges calibrated on person
crops from the config's own data, prepared by the config's test pipeline and
data preprocessor, as the model sees them at test time.
"""
import copy
import os.path as osp
import tempfile
import warnings
from typing import Iterator, List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from litehrnet_mm.registry import DATASETS, MODELS
from litehrnet_mm.utils.cpu import CPUINFO, cpu_flags, is_x86

CALIBRATION_METHODS = ('MinMax', 'Entropy', 'Percentile')
#: /proc/cpuinfo flags of x86 instructions that multiply and add 8-bit
#: integers into 32 bits without an intermediate 16-bit sum.
INT8_DOT_PRODUCT_FLAGS = ('avx512_vnni', 'avx_vnni', 'amx_int8')


def cpu_has_int8_dot_product(cpuinfo: str = CPUINFO) -> bool:
    """Whether onnxruntime's INT8 convolutions run exactly on this CPU.

    On x86 CPUs without VNNI (AVX2 or AVX-512 alone) onnxruntime multiplies
    unsigned by signed 8-bit values with ``VPMADDUBSW``, whose 16-bit sums
    saturate (onnxruntime's quantization guide): the INT8 graph's heatmaps
    move further from the float graph's than the quantization itself
    explains. Other architectures and unreadable CPU information count as
    exact.

    Args:
        cpuinfo (str): The Linux CPU information file.

    Returns:
        bool: False only for an x86 CPU whose flags have none of
        ``INT8_DOT_PRODUCT_FLAGS``.
    """
    if not is_x86():
        return True
    flags = cpu_flags(cpuinfo)
    return flags is None or any(f in flags for f in INT8_DOT_PRODUCT_FLAGS)


def calibration_images(cfg: Config, num_images: int,
                       split: str = 'train') -> np.ndarray:
    """Person crops for calibration, as the network receives them.

    Args:
        cfg (Config): A pose config.
        num_images (int): How many crops, evenly spaced over the dataset.
        split (str): ``'train'``, ``'val'`` or ``'test'``: whose dataset
            (annotations and images) to crop. Defaults to ``'train'``.

    Returns:
        np.ndarray: ``(num_images, 3, H, W)`` float32, normalized by the
        model's data preprocessor.
    """
    dataset_cfg = copy.deepcopy(cfg[f'{split}_dataloader'].dataset)
    dataset_cfg.pipeline = cfg.val_dataloader.dataset.pipeline
    dataset_cfg.pop('bbox_file', None)
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        dataset = DATASETS.build(dataset_cfg)
        preprocessor = MODELS.build(cfg.model.data_preprocessor)
    if num_images > len(dataset):
        raise ValueError(
            f'{num_images} calibration images asked for, but the {split} '
            f'dataset ({dataset.ann_file}) has {len(dataset)} people')
    picks = np.linspace(0, len(dataset) - 1, num_images).round().astype(int)
    samples = [dataset[int(index)] for index in picks]
    with torch.no_grad():
        batch = preprocessor(dict(
            inputs=[s['inputs'] for s in samples],
            data_samples=[s['data_samples'] for s in samples]))
    return batch['inputs'].numpy().astype(np.float32)


def quantize_int8(float_file: str, int8_file: str, images: np.ndarray,
                  method: str = 'MinMax',
                  op_types: Sequence[str] = ('Conv', ),
                  float_depthwise: bool = True) -> str:
    """Quantize an exported pose network to INT8 (QDQ, weights per channel).

    The defaults are the measured choice for Lite-HRNet: quantizing the
    depthwise convolutions, or the ``Add``/``Mul`` of the channel weighting,
    moves the keypoints several times more than quantizing the other
    convolutions alone (``docs/speed_notes.md``, "INT8").

    Args:
        float_file (str): The float ONNX model (input ``images``).
        int8_file (str): Where to write the quantized model.
        images (np.ndarray): Calibration inputs ``(N, 3, H, W)``
            (:func:`calibration_images`).
        method (str): Calibration method, one of ``CALIBRATION_METHODS``.
            Defaults to ``'MinMax'``.
        op_types (Sequence[str]): ONNX operator types to quantize; empty for
            all. Defaults to ``('Conv', )``.
        float_depthwise (bool): Leave depthwise convolutions in float.
            Defaults to True.

    Returns:
        str: ``int8_file``.

    Warns:
        UserWarning: On an x86 CPU without VNNI
        (:func:`cpu_has_int8_dot_product`), where the graph's keypoints
        are less exact than on CPUs with it.
    """
    import onnx
    from onnxruntime.quantization import (
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process
    if method not in CALIBRATION_METHODS:
        raise ValueError(f'calibration method {method!r} is not one of '
                         f'{CALIBRATION_METHODS}')
    with tempfile.TemporaryDirectory() as work:
        prepared = osp.join(work, 'prepared.onnx')
        # auto_merge: onnxruntime's symbolic shape inference names the
        # batch of a Resize by constant scales anew; merged with the input's
        quant_pre_process(float_file, prepared, auto_merge=True)
        excluded = _depthwise_convs(onnx.load(prepared).graph) \
            if float_depthwise else []
        quantize_static(
            prepared, int8_file, _Reader(images),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=list(op_types) or None,
            nodes_to_exclude=excluded,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=getattr(CalibrationMethod, method))
    if not cpu_has_int8_dot_product():
        warnings.warn(
            'This CPU has no VNNI instructions: onnxruntime\'s INT8 '
            'convolutions on it saturate 16-bit sums, so the INT8 graph\'s '
            'keypoints are less exact here than on CPUs with VNNI. Check its '
            'metric with tools/deployment/test_onnx.py.', UserWarning,
            stacklevel=2)
    return int8_file


def _depthwise_convs(graph) -> List[str]:
    """Names of the graph's depthwise convolutions (``group`` > 1)."""
    return [
        node.name for node in graph.node if node.op_type == 'Conv'
        and any(a.name == 'group' and a.i > 1 for a in node.attribute)
    ]


class _Reader:
    """onnxruntime's calibration data reader over a batch of images, one
    image at a time."""

    def __init__(self, images: np.ndarray) -> None:
        self._images: Iterator = iter(images)

    def get_next(self) -> Optional[dict]:
        image = next(self._images, None)
        return None if image is None else {'images': image[None]}
