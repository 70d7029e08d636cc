"""The check at the head of the configs' test pipeline: one image, its
boxes, and a clear error when either cannot be a top-down input.

mmpose's ``inference_topdown``, ``MMPoseInferencer`` and a runner's test
loop all pass their data through the config's test pipeline, so a check
placed right after ``LoadImage`` sees every image and box whichever of them
a user calls; :class:`~litehrnet_mm.apis.TopdownPredictor`, which cuts all
boxes at once, makes the same checks (:func:`image_problem`,
:func:`box_problem`) before it starts.
Without it, wrong inputs fail deep inside (an OpenCV assertion for an empty
image, a numpy broadcasting error for a box of two numbers) or give
keypoints without a word (a box of zero size, corners swapped, ``NaN``).

Every problem raises, from any caller, data files included: a box that
cannot be cropped gives keypoints that mean nothing, so a test loop that
meets one stops at it, naming the image and the box.
"""
from typing import Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from litehrnet_mm.registry import TRANSFORMS


def image_problem(img: np.ndarray) -> Optional[str]:
    """What keeps a loaded image from being a top-down input, or None.

    Args:
        img (np.ndarray): The image as loaded (``mmcv.imread``).

    Returns:
        str | None: The problem, phrased to follow "img ...".
    """
    if img.ndim != 3 or img.shape[2] != 3:
        return f'must be an (H, W, 3) BGR image array, got shape {img.shape}'
    if img.dtype != np.uint8:
        return (f'must hold uint8 pixels (0-255), as mmcv.imread gives '
                f'them, got {img.dtype}')
    if img.shape[0] == 0 or img.shape[1] == 0:
        return f'is empty: {img.shape[1]} x {img.shape[0]} pixels'
    return None


def box_problem(box: Sequence[float], width: int, height: int,
                bbox_format: str = 'xyxy') -> Optional[str]:
    """What keeps a box from being a person's box in an image, or None.

    Args:
        box (Sequence[float]): Four numbers in ``bbox_format``.
        width (int): The image's width in pixels.
        height (int): The image's height in pixels.
        bbox_format (str): ``'xyxy'`` (corners) or ``'xywh'`` (top-left
            corner and size). Defaults to ``'xyxy'``.

    Returns:
        str | None: The problem, phrased to follow the box's values.
    """
    x, y, a, b = box
    w, h = (a - x, b - y) if bbox_format == 'xyxy' else (a, b)
    if not np.isfinite(box).all():
        return 'has a value that is not a finite number'
    if w < 1 or h < 1:
        return (f'is {w:g} x {h:g} pixels; a box must be at least one pixel '
                f'wide and high, in pixels ({bbox_format})')
    if x >= width or y >= height or x + w <= 0 or y + h <= 0:
        return f'lies outside the {width} x {height} image'
    return None


@TRANSFORMS.register_module()
class CheckTopdownInput(BaseTransform):
    """Raise a ``ValueError`` naming the image and the box when the loaded
    image or a person box cannot be a top-down input.

    Placed after ``LoadImage``. It reads ``img`` (checked: an (H, W, 3)
    ``uint8`` array of at least one pixel) and ``bbox`` (checked: shape
    (N, 4), ``xyxy`` pixels as mmpose's APIs and datasets give them, each
    finite, at least one pixel wide and high, and overlapping the image),
    and changes nothing.

    Required Keys:

        - img
        - bbox

    Raises:
        ValueError: The image or a box is not a top-down input; the message
            names the image (its path when it has one) and the box.
    """

    def transform(self, results: dict) -> dict:
        """Check ``results['img']`` and ``results['bbox']``.

        Args:
            results (dict): The pipeline's data after ``LoadImage``.

        Returns:
            dict: ``results``, unchanged.
        """
        name = results.get('img_path') or 'the image array'
        problem = image_problem(results['img'])
        if problem:
            raise ValueError(f'img ({name}) {problem}')
        bbox = np.asarray(results['bbox'], dtype=np.float64)
        if bbox.ndim != 2 or bbox.shape[1] != 4:
            raise ValueError(f'bbox of {name} must have shape (N, 4) '
                             f'(xyxy), got {bbox.tolist()} of shape '
                             f'{bbox.shape}')
        height, width = results['img'].shape[:2]
        for box in bbox:
            problem = box_problem(box, width, height)
            if problem:
                raise ValueError(f'bbox {box.tolist()} of {name} {problem}')
        return results
