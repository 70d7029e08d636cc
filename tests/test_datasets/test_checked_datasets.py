"""The configs' datasets are mmpose's, with the same metainfo, read from
mmpose's installed file without the warning mmpose's relative path gives
outside its source tree."""
import warnings

import numpy as np
from helpers import COCO_CONFIG
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpose.datasets import CocoDataset as MMPoseCocoDataset

from litehrnet_mm.registry import DATASETS


def test_the_coco_dataset_loads_mmposes_metainfo_without_a_warning(
        coco_root, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a user's project, not mmpose's tree
    cfg = Config.fromfile(COCO_CONFIG).train_dataloader.dataset
    cfg.update(data_root=f'{coco_root}/',
               ann_file='annotations/person_keypoints_train.json',
               data_prefix=dict(img='train/'), pipeline=[])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        with DefaultScope.overwrite_default_scope('litehrnet_mm'):
            ours = DATASETS.build(cfg)
    assert not [w for w in caught if 'metainfo' in str(w.message)]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        theirs = MMPoseCocoDataset(**{k: v for k, v in cfg.items()
                                      if k != 'type'})
    assert ours.metainfo['dataset_name'] == 'coco'
    assert ours.metainfo['keypoint_id2name'] == \
        theirs.metainfo['keypoint_id2name']
    np.testing.assert_array_equal(ours.metainfo['sigmas'],
                                  theirs.metainfo['sigmas'])
    assert len(ours) == len(theirs)
