"""The iterative head: mmpose's, registered in this package's scope.

Starting at the lowest resolution, each branch gets the previous (refined)
map, bilinearly upsampled, added, then a separable conv (3x3 depthwise →
norm → 1x1 → norm → ReLU) maps it to the next branch's channels; the
highest resolution keeps its own. mmpose's module does exactly what the
official release does, on any input size, so it is used as it is: configs
of this scope can name it (``dict(type='IterativeHead', in_channels=...)``)
and the backbone builds it.
"""
from mmpose.models.backbones.litehrnet import IterativeHead

from litehrnet_mm.registry import MODELS

MODELS.register_module(module=IterativeHead)

__all__ = ['IterativeHead']
