"""What the configs' annotation-file check costs on a COCO-sized file.

    python docs/experiments/annotation_check_cost.py [--rounds 3]

Writes, in a temporary folder, a COCO keypoint file the size of COCO's
``person_keypoints_train2017.json`` (118,287 images, 149,813 people with 17
keypoints, a box and a 30-point polygon each) and an empty file per image,
then times, alternating, :func:`check_coco_file` (what ``CocoDataset`` of
this package adds when it is built) and ``xtcocotools``' ``COCO()`` (the
reading mmpose's ``CocoDataset`` does anyway). Prints the medians.
"""
import argparse
import json
import os.path as osp
import random
import statistics
import tempfile

from xtcocotools.coco import COCO

from litehrnet_mm.cli.arg_types import positive_int
from litehrnet_mm.cli.timing import timed
from litehrnet_mm.datasets.annotation_files import check_coco_file

NUM_IMAGES, NUM_PEOPLE = 118287, 149813


def write_coco_sized_file(folder: str) -> str:
    """The annotation file and its (empty) images; returns the file."""
    rng = random.Random(0)

    def numbers(count):
        return [round(rng.random() * 300, 2) for _ in range(count)]

    images = [dict(id=i, file_name=f'{i:012d}.jpg', width=640, height=480)
              for i in range(NUM_IMAGES)]
    people = [dict(id=k, image_id=rng.randrange(NUM_IMAGES), category_id=1,
                   iscrowd=0, area=1000.0, num_keypoints=17,
                   bbox=numbers(4), keypoints=numbers(51),
                   segmentation=[numbers(60)]) for k in range(NUM_PEOPLE)]
    for image in images:
        open(osp.join(folder, image['file_name']), 'w').close()
    ann_file = osp.join(folder, 'person_keypoints.json')
    with open(ann_file, 'w') as file:
        json.dump(dict(images=images, annotations=people,
                       categories=[dict(id=1, name='person')]), file)
    return ann_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=positive_int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ann_file = write_coco_sized_file(folder)
        print(f'{osp.getsize(ann_file) / 1e6:.0f} MB, {NUM_IMAGES} images, '
              f'{NUM_PEOPLE} people')
        check, coco = [], []
        for _ in range(args.rounds):
            check.append(timed(lambda: check_coco_file(
                ann_file, 'CocoDataset', 17, folder)))
            coco.append(timed(lambda: COCO(ann_file)))
    print(f'check_coco_file: {statistics.median(check):.1f} s, '
          f'COCO(): {statistics.median(coco):.1f} s '
          f'(medians of {args.rounds} alternating rounds)')


if __name__ == '__main__':
    main()
