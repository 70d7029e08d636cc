"""The synthetic COCO people: deterministic, valid COCO that mmpose's
dataset and pycocotools read, labels consistent with what is drawn."""
import json

import numpy as np
import pytest
from pycocotools.coco import COCO

from litehrnet_mm.datasets import make_synthetic_coco


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic')
    make_synthetic_coco(root, num_train=40, num_val=10, seed=3,
                        progress=False)
    return root


def test_same_seed_same_dataset(dataset, tmp_path):
    make_synthetic_coco(tmp_path, num_train=40, num_val=10, seed=3,
                        progress=False)
    for name in ('person_keypoints_train.json', 'person_keypoints_val.json'):
        assert (dataset / 'annotations' / name).read_text() == \
            (tmp_path / 'annotations' / name).read_text()
    first = sorted((dataset / 'train').iterdir())[0]
    assert first.read_bytes() == (tmp_path / 'train' / first.name
                                  ).read_bytes()
    make_synthetic_coco(tmp_path / 'other', num_train=5, num_val=1, seed=4,
                        progress=False)
    assert (tmp_path / 'other' / 'train' / first.name).read_bytes() != \
        first.read_bytes()


def test_workers_write_the_same_files(dataset, tmp_path):
    make_synthetic_coco(tmp_path, num_train=40, num_val=10, seed=3,
                        progress=False, workers=2)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob('*')
                     if p.is_file())
    assert written == sorted(p.relative_to(dataset)
                             for p in dataset.rglob('*') if p.is_file())
    for path in written:
        assert (tmp_path / path).read_bytes() == (dataset / path).read_bytes()


def test_workers_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match='workers must be at least 1'):
        make_synthetic_coco(tmp_path, num_train=1, num_val=1, workers=0)


def test_coco_format_and_labels(dataset):
    coco = COCO(str(dataset / 'annotations' / 'person_keypoints_train.json'))
    assert len(coco.getImgIds()) == 40
    assert coco.loadCats(1)[0]['keypoints'][0] == 'nose'
    visibility = []
    for ann in coco.loadAnns(coco.getAnnIds()):
        image = coco.loadImgs(ann['image_id'])[0]
        k = np.array(ann['keypoints']).reshape(17, 3)
        v = k[:, 2]
        visibility += v.tolist()
        assert ann['num_keypoints'] == int((v > 0).sum())
        assert ann['iscrowd'] == 0 and ann['area'] > 0
        x, y, w, h = ann['bbox']
        labelled = k[v > 0, :2]
        assert (labelled[:, 0] >= x - 1).all() and \
            (labelled[:, 0] <= x + w + 1).all()
        assert (labelled[:, 1] >= y - 1).all() and \
            (labelled[:, 1] <= y + h + 1).all()
        assert (labelled >= 0).all()
        assert (labelled[:, 0] <= image['width'] - 1).all()
        assert (labelled[:, 1] <= image['height'] - 1).all()
        assert (k[v == 0, :2] == 0).all()  # not labelled: COCO's zeros
    counts = np.bincount(visibility, minlength=3)
    # people cut by the border, people and objects hiding keypoints
    assert counts[0] > 0 and counts[1] > 0 and counts[2] > counts[1]


def test_mmpose_reads_it(dataset):
    from mmpose.datasets import CocoDataset
    data = CocoDataset(
        data_root=str(dataset),
        ann_file='annotations/person_keypoints_val.json',
        data_prefix=dict(img='val/'), pipeline=[], test_mode=True)
    assert len(data) > 0
    sample = data[0]
    assert sample['keypoints'].shape == (1, 17, 2)
    assert json.loads((dataset / 'annotations' /
                       'person_keypoints_val.json').read_text())['images']
