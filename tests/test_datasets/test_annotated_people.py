"""annotated_people: each image of a COCO file with its people's boxes."""
import json
import os.path as osp

import numpy as np

from litehrnet_mm.datasets import annotated_people


def test_images_with_their_boxes_crowds_left_out(coco_root, tmp_path):
    coco = json.loads(
        (coco_root / 'annotations/person_keypoints_val.json').read_text())
    crowd = dict(coco['annotations'][0], id=10**6, iscrowd=1,
                 bbox=[1, 2, 3, 4])
    coco['annotations'].append(crowd)
    coco['images'].append(dict(coco['images'][0], id=10**6))  # no people
    ann_file = tmp_path / 'people.json'
    ann_file.write_text(json.dumps(coco))

    people = annotated_people(str(ann_file), str(coco_root / 'val'))
    assert len(people) == len(coco['images']) - 1
    for image, (path, boxes) in zip(coco['images'], people):
        expected = [a['bbox'] for a in coco['annotations']
                    if a['image_id'] == image['id'] and not a['iscrowd']]
        assert path == osp.join(str(coco_root / 'val'), image['file_name'])
        assert osp.isfile(path)
        assert boxes.dtype == np.float32
        np.testing.assert_array_equal(boxes, np.float32(expected))
