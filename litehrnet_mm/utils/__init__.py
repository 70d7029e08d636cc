from .registration import register_all_modules

__all__ = ['register_all_modules']
