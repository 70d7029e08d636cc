"""mmpose's keypoint datasets, checking their annotation file first.

Registered in the ``litehrnet_mm`` scope under mmpose's names, so the
configs' ``type='CocoDataset'`` (and every config inheriting them) gets
mmpose's dataset unchanged except that a wrong ``ann_file`` or missing
images are a clear error when the dataset is built
(:mod:`.annotation_files`), not a failure deep inside or hours into a run.
``mmpose.CocoDataset`` still names mmpose's own class.
"""
from mmpose.datasets import CocoDataset as MMPoseCocoDataset
from mmpose.datasets import CocoWholeBodyHandDataset as MMPoseHandDataset
from mmpose.datasets import MpiiDataset as MMPoseMpiiDataset

from litehrnet_mm.registry import DATASETS

from .annotation_files import check_coco_file, check_mpii_file


class ChecksAnnotationFile:
    """Mixin: run :meth:`check_annotation_file` before the data list is
    read (from the annotations, or from a detection-results file)."""

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
