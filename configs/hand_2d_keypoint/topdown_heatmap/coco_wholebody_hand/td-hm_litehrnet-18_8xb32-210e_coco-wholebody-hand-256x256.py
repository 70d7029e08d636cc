_base_ = [
    '../../../_base_/models/litehrnet-18.py',
    '../../../_base_/schedules/adam-210e.py',
    '../../../_base_/datasets/coco-wholebody-hand-256x256.py',
]

model = dict(head=dict(out_channels=21, decoder=_base_.codec))
# lr 5e-4 was tuned for 8 GPUs x 32 images
auto_scale_lr = dict(base_batch_size=256)
default_hooks = dict(checkpoint=dict(save_best='AUC', rule='greater'))
train_dataloader = dict(batch_size=32)
