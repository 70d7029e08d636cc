_base_ = [
    '../../../_base_/models/naive-litehrnet-18.py',
    '../../../_base_/schedules/adam-210e.py',
    '../../../_base_/datasets/coco-256x192.py',
]

model = dict(head=dict(decoder=_base_.codec))
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater'))
train_dataloader = dict(batch_size=64)
