from .litehrnet_head import LiteHRNetHead

__all__ = ['LiteHRNetHead']
