_base_ = [
    '../../../_base_/models/litehrnet-30.py',
    '../../../_base_/schedules/adam-210e.py',
    '../../../_base_/datasets/mpii-256x256.py',
]

model = dict(head=dict(out_channels=16, decoder=_base_.codec))
default_hooks = dict(checkpoint=dict(save_best='PCK', rule='greater'))
train_dataloader = dict(batch_size=64)
