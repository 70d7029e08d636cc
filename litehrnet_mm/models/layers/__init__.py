from .conditional_channel_weighting import ConditionalChannelWeighting
from .cross_resolution_weighting import CrossResolutionWeighting
from .fusion import MultiResolutionFusion
from .iterative_head import IterativeHead
from .litehrnet_module import LiteHRModule
from .separable_conv import separable_conv_bn
from .shuffle_block import ShuffleBlock
from .spatial_weighting import SpatialWeighting
from .stem import Stem

__all__ = [
    'ConditionalChannelWeighting', 'CrossResolutionWeighting',
    'IterativeHead', 'LiteHRModule', 'MultiResolutionFusion',
    'ShuffleBlock', 'SpatialWeighting', 'Stem', 'separable_conv_bn'
]
