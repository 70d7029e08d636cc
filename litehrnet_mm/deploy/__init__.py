from .onnx_export import (
                          HeatmapNetwork,
                          export_onnx,
                          max_difference_to_onnxruntime,
)

__all__ = ['HeatmapNetwork', 'export_onnx', 'max_difference_to_onnxruntime']
