"""Top-down inference with its inputs checked at the door.

mmpose's ``inference_topdown`` takes an image and person boxes and runs the
config's test pipeline box by box; the package's configs check the loaded
image and each box there (:class:`~litehrnet_mm.datasets.CheckTopdownInput`).
This function checks what comes before the pipeline too: a ``Path``
(mmpose's reads it as an array), a missing file or one that is not an image
(an ``AssertionError`` from the image decoder), an unknown box format, and
every box with its index, in the caller's format. Then it runs mmpose's.
"""
import os
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmpose.apis import inference_topdown as mmpose_inference_topdown
from mmpose.structures import PoseDataSample
from PIL import Image

from ..datasets.topdown_input_check import box_problem, image_problem

ImageType = Union[str, os.PathLike, np.ndarray]


def inference_topdown(model, img: ImageType,
                      bboxes: Optional[Union[Sequence, np.ndarray]] = None,
                      bbox_format: str = 'xyxy') -> List[PoseDataSample]:
    """mmpose's ``inference_topdown``, with clear errors for wrong inputs.

    Args:
        model (nn.Module): A top-down pose estimator (``init_model``).
        img (str | PathLike | np.ndarray): An image file, or a loaded
            image: a ``uint8`` array of shape (H, W, 3), BGR.
        bboxes (array-like, optional): Person boxes in pixels, shape
            (N, 4). Defaults to None (the whole image is one box).
        bbox_format (str): ``'xyxy'`` (corners) or ``'xywh'`` (top-left
            corner and size). Defaults to ``'xyxy'``.

    Returns:
        list[PoseDataSample]: One per box, as mmpose's function returns.

    Raises:
        FileNotFoundError: The image file does not exist.
        ValueError: The file is not an image, the array is not an
            (H, W, 3) image, or a box is not a box in this image (its index
            and values are named).
        TypeError: ``img`` or ``bboxes`` is of another type.
    """
    if isinstance(img, os.PathLike):
        img = os.fspath(img)
    width, height = _check_image(img)
    if bboxes is not None and len(bboxes) > 0:
        bboxes = _check_boxes(bboxes, bbox_format, width, height)
    return mmpose_inference_topdown(model, img, bboxes, bbox_format)


def _check_image(img) -> Tuple[int, int]:
    """The image's (width, height), or an error naming what is wrong."""
    if isinstance(img, str):
        if not osp.isfile(img):
            raise FileNotFoundError(f'Image {img} does not exist')
        if not cv2.haveImageReader(img):
            raise ValueError(f'{img} is not an image file that OpenCV can '
                             'read (JPEG, PNG, BMP, ...)')
        with Image.open(img) as image:
            return image.size
    if not isinstance(img, np.ndarray):
        raise TypeError('img must be an image file path or a loaded image '
                        f'(numpy array), got {type(img).__name__}')
    problem = image_problem(img)
    if problem:
        raise ValueError(f'img {problem}')
    return img.shape[1], img.shape[0]


def _check_boxes(bboxes, bbox_format: str, width: int,
                 height: int) -> np.ndarray:
    """The boxes as an (N, 4) float array, or an error naming the box."""
    if bbox_format not in ('xyxy', 'xywh'):
        raise ValueError(f"bbox_format must be 'xyxy' or 'xywh', got "
                         f'{bbox_format!r}')
    try:
        boxes = np.asarray(bboxes, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f'bboxes must be numbers of shape (N, 4): {error}'
                        ) from None
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f'bboxes must have shape (N, 4) ({bbox_format}), '
                         f'got shape {boxes.shape}')
    for index, box in enumerate(boxes):
        problem = box_problem(box, width, height, bbox_format)
        if problem:
            raise ValueError(f'bboxes[{index}] = {box.tolist()} {problem}')
    return boxes.astype(np.float32)
