# COCO-WholeBody hands, top-down, 256x256 input, 64x64 heatmaps (sigma 2);
# PCK@0.2, AUC and EPE.
codec = dict(
    type='MSRAHeatmap', input_size=(256, 256), heatmap_size=(64, 64), sigma=2)

# In this package's scope, mmpose's CocoWholeBodyHandDataset that checks
# its annotation file first (litehrnet_mm/datasets/checked_datasets.py); in
# mmpose's scope, mmpose's own. It keeps mmpose's name: MMPoseInferencer
# picks its default detector by the dataset class's module.
dataset_type = 'CocoWholeBodyHandDataset'
data_mode = 'topdown'
data_root = 'data/coco/'

train_pipeline = [
    # ours: seeds the random transforms below from (seed, epoch, sample)
    dict(type='litehrnet_mm.SeedAugmentation'),
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomBBoxTransform', rotate_factor=180,
         scale_factor=(0.7, 1.3)),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage'),
    # ours: a clear error for an image or box that cannot be cropped
    dict(type='litehrnet_mm.CheckTopdownInput'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    # ours: DefaultSampler's order; indices carry (seed, epoch)
    sampler=dict(
        type='litehrnet_mm.AugmentationSeedSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/coco_wholebody_train_v1.0.json',
        data_prefix=dict(img='train2017/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/coco_wholebody_val_v1.0.json',
        data_prefix=dict(img='val2017/'),
        test_mode=True,
        pipeline=val_pipeline))
test_dataloader = val_dataloader

val_evaluator = [
    dict(type='PCKAccuracy', thr=0.2),
    dict(type='AUC'),
    dict(type='EPE')
]
test_evaluator = val_evaluator
