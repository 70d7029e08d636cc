"""What projects/litehrnet_seg adds to MMSegmentation, registered in its
``mmseg`` scope: litehrnet_mm's ``LiteHRNet`` backbone (every branch out
with ``out_indices``) and ``CheckedEncoderDecoder``. Configs import this
module from the repository root with
``custom_imports = dict(imports=['projects.litehrnet_seg.models'])``.
"""
from mmseg.registry import MODELS

from litehrnet_mm.models.backbones import LiteHRNet

from .checked_encoder_decoder import CheckedEncoderDecoder
from .segmentation_network import SegmentationNetwork

if 'LiteHRNet' not in MODELS.module_dict:
    MODELS.register_module('LiteHRNet', module=LiteHRNet)

__all__ = ['CheckedEncoderDecoder', 'LiteHRNet', 'SegmentationNetwork']
