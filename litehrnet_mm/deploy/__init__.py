from .backend import OnnxRuntimeNetwork, use_network
from .int8 import (
    CALIBRATION_METHODS,
    calibration_images,
    cpu_has_int8_dot_product,
    quantize_int8,
)
from .onnx_export import (
                          VERIFY_TOLERANCE,
                          HeatmapNetwork,
                          export_and_verify,
                          export_onnx,
                          max_difference_to_onnxruntime,
                          network_of,
)
from .switch_to_deploy import switch_to_deploy

__all__ = [
    'CALIBRATION_METHODS', 'HeatmapNetwork', 'OnnxRuntimeNetwork',
    'VERIFY_TOLERANCE',
    'calibration_images', 'cpu_has_int8_dot_product', 'export_and_verify',
    'export_onnx', 'max_difference_to_onnxruntime', 'network_of',
    'quantize_int8',
    'switch_to_deploy', 'use_network'
]
