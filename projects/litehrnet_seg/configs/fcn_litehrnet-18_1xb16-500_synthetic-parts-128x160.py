# The CPU quickstart (projects/litehrnet_seg/tools/quickstart.sh):
# Lite-HRNet-18 on the synthetic body parts, 500 iterations of 16 random
# 128x160 crops, AdamW with a 50-iteration linear warm-up and poly decay;
# validation on the whole 256x320 images.
_base_ = [
    './_base_/models/fcn_litehrnet-18.py',
    './_base_/datasets/synthetic-parts.py',
    'mmseg::_base_/default_runtime.py'
]
model = dict(
    data_preprocessor=dict(size={{_base_.crop_size}}),
    decode_head=dict(num_classes=5))
max_iters = 500
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=0.01))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0,
         end=50),
    dict(type='PolyLR', power=0.9, eta_min=1e-5, by_epoch=False, begin=50,
         end=max_iters)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    checkpoint=dict(type='CheckpointHook', by_epoch=False,
                    interval=max_iters),
    visualization=dict(type='SegVisualizationHook'))
randomness = dict(seed=0)
