# The synthetic body-part dataset of projects/litehrnet_seg/tools/
# make_synthetic_parts.py in mmseg's BaseSegDataset: rendered people on
# 256x320 images, each pixel labelled background, head, torso, arm or leg.
# Training reads random 128x160 crops in which no class covers more than 3/4
# (mmseg's cat_max_ratio: most pixels are background, so this keeps the
# people in view), flipped; validation reads whole images.
dataset_type = 'BaseSegDataset'
data_root = 'data/synthetic_parts'
crop_size = (128, 160)
metainfo = dict(
    classes=('background', 'head', 'torso', 'arm', 'leg'),
    palette=[[0, 0, 0], [220, 20, 60], [0, 128, 255], [255, 200, 0],
             [60, 180, 75]])
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        img_suffix='.jpg',
        seg_map_suffix='.png',
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        img_suffix='.jpg',
        seg_map_suffix='.png',
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
