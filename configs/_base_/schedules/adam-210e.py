# The paper's schedule, as mmpose reproduces it: Adam, lr 5e-4 for a total
# batch of 512, 210 epochs, lr x0.1 at epochs 170 and 200, linear warm-up.
# It brings the runtime with it (hooks, logging, visualizer).
_base_ = ['../default_runtime.py']

train_cfg = dict(by_epoch=True, max_epochs=210, val_interval=10)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=5e-4))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=500, start_factor=0.001,
         by_epoch=False),  # warm-up
    dict(type='MultiStepLR', begin=0, end=210, milestones=[170, 200],
         gamma=0.1, by_epoch=True)
]
# `--auto-scale-lr` scales lr by (GPUs x batch size) / 512
auto_scale_lr = dict(base_batch_size=512)
