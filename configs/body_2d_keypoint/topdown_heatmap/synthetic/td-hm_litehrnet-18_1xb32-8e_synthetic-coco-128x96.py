# Lite-HRNet-18 on the synthetic COCO-format people that
# tools/misc/make_synthetic_coco.py renders, sized for a CPU:
# the COCO 256x192 config with only the data (128x96 crops from the
# annotated boxes, data/synthetic_coco/) and the schedule changed.
# `bash tools/quickstart.sh` generates the data and runs it.
_base_ = ['../coco/td-hm_litehrnet-18_8xb64-210e_coco-256x192.py']

# data: 128x96 crops, 32x24 heatmaps decoded with DARK's sub-pixel
# refinement (unbiased=True), which the coarse heatmaps need; the Gaussian
# narrower than COCO's sigma=2 at 64x48 (mmpose scales it with the heatmap,
# sigma=3 at 96x72), and DARK's blur kernel with it
codec = dict(
    type='MSRAHeatmap',
    input_size=(96, 128),
    heatmap_size=(24, 32),
    sigma=1.5,
    unbiased=True,
    blur_kernel_size=7)
model = dict(head=dict(decoder=codec))

data_root = 'data/synthetic_coco/'
train_pipeline = [
    # ours: seeds the random transforms below from (seed, epoch, sample)
    dict(type='litehrnet_mm.SeedAugmentation'),
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    # no extra rotation: the generator already turns people by up to 40
    # degrees, and the short schedule is spent on the validation's spread
    dict(type='RandomBBoxTransform', rotate_factor=0,
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
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='train/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/person_keypoints_val.json',
        bbox_file=None,
        data_prefix=dict(img='val/'),
        pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root +
                     'annotations/person_keypoints_val.json')
test_evaluator = val_evaluator

# schedule: 8 epochs, a higher learning rate for the single small batch
train_cfg = dict(max_epochs=8, val_interval=4)
optim_wrapper = dict(optimizer=dict(lr=2e-3))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.01,
         by_epoch=False),
    dict(type='CosineAnnealingLR', begin=0, end=8, eta_min=2e-5,
         by_epoch=True, convert_to_iter_based=True)
]
auto_scale_lr = dict(base_batch_size=32)
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=4, max_keep_ckpts=1))

# seeded: runs on one machine with the same thread count log the same
# losses (checked on short runs)
randomness = dict(seed=0)
