from .inference import inference_topdown

__all__ = ['inference_topdown']
