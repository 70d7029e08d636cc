"""mmpose's keypoint datasets, checking their annotation file first.

Registered in the ``litehrnet_mm`` scope under mmpose's names, so the
configs' ``type='CocoDataset'`` (and every config inheriting them) gets
mmpose's dataset unchanged except that a wrong ``ann_file`` or missing
images are a clear error when the dataset is built
(:mod:`.annotation_files`), not a failure deep inside or hours into a run.
``mmpose.CocoDataset`` still names mmpose's own class. The names stay
mmpose's on purpose: built from mmpose's default scope (its inferencer's),
a config gets mmpose's class, which reads the same data, and
``MMPoseInferencer`` picks its default detector (people, hands) from that
class's module.

Their metainfo is mmpose's file for the dataset, named by its installed
path: mmpose's classes name it relative to the working directory
(``configs/_base_/datasets/coco.py``), which outside mmpose's source tree
warns on every run before falling back to the installed copy.
"""
import os.path as osp

import mmpose
from mmpose.datasets import CocoDataset as MMPoseCocoDataset
from mmpose.datasets import CocoWholeBodyHandDataset as MMPoseHandDataset
from mmpose.datasets import MpiiDataset as MMPoseMpiiDataset

from litehrnet_mm.registry import DATASETS

from .annotation_files import check_coco_file, check_mpii_file


def _installed_metainfo(metainfo: dict) -> dict:
    """``metainfo`` with a ``from_file`` that is not there (mmpose's path
    relative to its source tree) named by mmpose's installed copy; as it is
    otherwise (an existing file, a metainfo given in full, no copy)."""
    if 'from_file' not in metainfo or osp.isfile(metainfo['from_file']):
        return metainfo
    path = osp.join(osp.dirname(mmpose.__file__), '.mim', 'configs',
                    '_base_', 'datasets', osp.basename(metainfo['from_file']))
    return dict(from_file=path) if osp.isfile(path) else metainfo


class ChecksAnnotationFile:
    """Mixin: run :meth:`check_annotation_file` before the data list is
    read (from the annotations, or from a detection-results file); the
    subclass's metainfo file is mmpose's installed one."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.METAINFO = _installed_metainfo(cls.METAINFO)

    def load_data_list(self):
        self.check_annotation_file()
        return super().load_data_list()

    def check_annotation_file(self) -> None:
        raise NotImplementedError

    @property
    def _described(self) -> str:
        return f"{type(self).__name__} ({self.metainfo['dataset_name']})"


@DATASETS.register_module()
class CocoDataset(ChecksAnnotationFile, MMPoseCocoDataset):
    """mmpose's ``CocoDataset`` with its annotation file checked."""

    def check_annotation_file(self) -> None:
        check_coco_file(self.ann_file, self._described,
                        self.metainfo['num_keypoints'],
                        self.data_prefix['img'])


@DATASETS.register_module()
class MpiiDataset(ChecksAnnotationFile, MMPoseMpiiDataset):
    """mmpose's ``MpiiDataset`` with its annotation file checked."""

    def check_annotation_file(self) -> None:
        check_mpii_file(self.ann_file, self._described,
                        self.metainfo['num_keypoints'],
                        self.data_prefix['img'])


@DATASETS.register_module()
class CocoWholeBodyHandDataset(ChecksAnnotationFile, MMPoseHandDataset):
    """mmpose's ``CocoWholeBodyHandDataset`` with its annotation file
    checked (both hands' keypoints in every annotation)."""

    def check_annotation_file(self) -> None:
        check_coco_file(self.ann_file, self._described,
                        self.metainfo['num_keypoints'],
                        self.data_prefix['img'],
                        keypoint_keys=('lefthand_kpts', 'righthand_kpts'))
