# COCO person keypoints at 384x288 input, 96x72 heatmaps (sigma 3, as the
# paper's release and mmpose use at this size); the rest as at 256x192.
_base_ = ['./coco-256x192.py']

codec = dict(
    type='MSRAHeatmap', input_size=(288, 384), heatmap_size=(72, 96), sigma=3)

train_pipeline = [
    # ours: seeds the random transforms below from (seed, epoch, sample)
    dict(type='litehrnet_mm.SeedAugmentation'),
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform', rotate_factor=60,
         scale_factor=(0.75, 1.25)),
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

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
