from .inference import inference_topdown
from .topdown_predictor import TopdownPredictor

__all__ = ['TopdownPredictor', 'inference_topdown']
