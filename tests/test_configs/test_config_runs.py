"""Every shipped config trains one iteration and evaluates with its real
metric (COCO OKS, MPII PCKh, hand PCK/AUC/EPE) on generated data; the
ground truth itself, put through the config's validation data and
evaluator as predictions, scores perfectly."""
import numpy as np
import pytest
from helpers import CONFIGS, make_mpii_dataset, make_wholebody_hand_dataset
from mmengine.config import Config
from mmengine.runner import Runner

TASK_CONFIGS = sorted(p for p in CONFIGS.glob('*_keypoint/**/*.py'))


@pytest.fixture(scope='module')
def datasets(coco_root, tmp_path_factory):
    return dict(
        coco=coco_root,
        mpii=make_mpii_dataset(coco_root, tmp_path_factory.mktemp('mpii')),
        hand=make_wholebody_hand_dataset(coco_root,
                                         tmp_path_factory.mktemp('hand')))


def _data(kind, root):
    """Dataset entries and evaluator of a config kind on generated data."""
    loader = dict(batch_size=8, num_workers=0, persistent_workers=False)
    if kind == 'mpii':
        return (dict(ann_file='annotations/mpii_train.json'),
                dict(ann_file='annotations/mpii_val.json',
                     headbox_file=f'{root}/annotations/mpii_gt_val.mat'),
                loader, None, 'PCK')
    if kind == 'hand':
        return (dict(ann_file='annotations/coco_wholebody_train_v1.0.json'),
                dict(ann_file='annotations/coco_wholebody_val_v1.0.json'),
                loader, None, 'AUC')
    val_ann = f'{root}/annotations/person_keypoints_val.json'
    return (dict(ann_file='annotations/person_keypoints_train.json',
                 data_prefix=dict(img='train/')),
            dict(ann_file='annotations/person_keypoints_val.json',
                 data_prefix=dict(img='val/'), bbox_file=None),
            loader, dict(ann_file=val_ann), 'coco/AP')


# what the ground truth scores as the prediction (mmpose's MPII PCK is a
# percentage; its hand AUC tops out at 0.95, its first threshold being 0)
PERFECT = {'coco': {'coco/AP': 1.0}, 'mpii': {'PCK': 100.0},
           'hand': {'PCK': 1.0, 'AUC': 0.95, 'EPE': 0.0}}


@pytest.mark.parametrize('path', TASK_CONFIGS, ids=lambda p: p.stem)
def test_config_trains_and_evaluates(path, datasets, tmp_path):
    kind = 'mpii' if 'mpii' in path.name else 'hand' if 'hand' in \
        path.name else 'coco'
    root = datasets[kind]
    train_set, val_set, loader, evaluator, metric = _data(kind, root)
    cfg = Config.fromfile(path)
    cfg.merge_from_dict(
        dict(work_dir=str(tmp_path),
             train_dataloader=dict(
                 **loader, dataset=dict(data_root=f'{root}/', **train_set)),
             val_dataloader=dict(
                 **loader, dataset=dict(data_root=f'{root}/', **val_set)),
             train_cfg=dict(max_epochs=1, val_interval=100),
             default_hooks=dict(checkpoint=dict(save_best=None),
                                logger=dict(interval=1))))
    if evaluator:
        cfg.merge_from_dict(dict(val_evaluator=evaluator))
    cfg.train_dataloader.dataset.pop('bbox_file', None)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter >= 1
    metrics = runner.val()
    assert metric in metrics, metrics
    # mmpose's MPII metric reports percentages
    assert 0 <= metrics[metric] <= (100 if kind == 'mpii' else 1), metrics
    perfect = _score_ground_truth(runner)
    for name, value in PERFECT[kind].items():
        assert perfect[name] == pytest.approx(value), perfect


def _score_ground_truth(runner):
    """The config's evaluator on its validation data, each person's
    annotated keypoints given as the prediction (score 1)."""
    evaluator = runner.val_evaluator
    for batch in runner.val_dataloader:
        samples = batch['data_samples']
        for sample in samples:
            gt = sample.gt_instances
            sample.pred_instances = gt.new(
                keypoints=np.asarray(gt.keypoints),
                keypoint_scores=np.ones(gt.keypoints.shape[:2]))
        evaluator.process(samples, batch)
    return evaluator.evaluate(len(runner.val_dataloader.dataset))
