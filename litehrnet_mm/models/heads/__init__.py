from .lite_hrnet_head import LiteHRNetHead

__all__ = ['LiteHRNetHead']
