"""Keep the upper-body keypoints of a COCO person-keypoints file.

    python projects/upper_body/tools/coco_to_upper_body.py \
        COCO_KEYPOINTS_JSON OUT_JSON

Keeps COCO's nose, shoulders, elbows and wrists (in the order of
``configs/upper_body.py``) and drops the people with none of them labelled.
"""
import argparse
import json

# COCO indices of the upper-body keypoints
UPPER_BODY = [0, 5, 6, 7, 8, 9, 10]


def convert(coco: dict) -> dict:
    """The same dataset with the upper-body keypoints only.

    Args:
        coco (dict): A COCO person-keypoints annotation dict.

    Returns:
        dict: The converted dict (images unchanged).
    """
    annotations = []
    for ann in coco['annotations']:
        keypoints = [ann['keypoints'][3 * k + i] for k in UPPER_BODY
                     for i in range(3)]
        num = sum(1 for v in keypoints[2::3] if v > 0)
        if num == 0:
            continue
        annotations.append(dict(ann, keypoints=keypoints, num_keypoints=num))
    category = dict(coco['categories'][0])
    names = category.get('keypoints')
    category['keypoints'] = [names[k] for k in UPPER_BODY] if names else []
    category['skeleton'] = [[2, 3], [2, 4], [4, 6], [3, 5], [5, 7]]
    return dict(images=coco['images'], annotations=annotations,
                categories=[category])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='COCO person-keypoints json')
    parser.add_argument('dst', help='output json')
    args = parser.parse_args()
    with open(args.src) as f:
        coco = json.load(f)
    out = convert(coco)
    with open(args.dst, 'w') as f:
        json.dump(out, f)
    print(f'{len(out["annotations"])} people, 7 keypoints: {args.dst}')


if __name__ == '__main__':
    main()
