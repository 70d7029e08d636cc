"""The people of a COCO-format annotation file, image by image."""
import os.path as osp
from typing import List, Tuple

import numpy as np
from xtcocotools.coco import COCO


def annotated_people(ann_file: str,
                     img_dir: str) -> List[Tuple[str, np.ndarray]]:
    """Each image's path and its people's annotated boxes.

    Args:
        ann_file (str): A COCO-format annotation file.
        img_dir (str): The folder of its images.

    Returns:
        list[tuple[str, np.ndarray]]: For every image with at least one
        annotation that is not a crowd, in the file's order: the image's
        path and the boxes, float32 (N, 4), ``xywh`` as COCO gives them.
    """
    coco = COCO(ann_file)
    people = []
    for image_id in coco.getImgIds():
        anns = coco.loadAnns(coco.getAnnIds(imgIds=image_id, iscrowd=False))
        if anns:
            path = osp.join(img_dir, coco.loadImgs(image_id)[0]['file_name'])
            boxes = np.array([ann['bbox'] for ann in anns], dtype=np.float32)
            people.append((path, boxes))
    return people
