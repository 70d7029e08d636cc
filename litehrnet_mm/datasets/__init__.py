from .synthetic_coco import make_synthetic_coco, render_image

__all__ = ['make_synthetic_coco', 'render_image']
