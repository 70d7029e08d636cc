# A downstream project's config: Lite-HRNet-18 from litehrnet_mm on its own
# COCO-format dataset with 7 upper-body keypoints (configs/upper_body.py).
# Everything not written here comes from litehrnet_mm's COCO config.
_base_ = ['litehrnet_mm::body_2d_keypoint/topdown_heatmap/coco/'
          'td-hm_litehrnet-18_8xb64-210e_coco-256x192.py']

metainfo = dict(from_file='{{ fileDirname }}/upper_body.py')
data_root = 'data/upper_body/'

model = dict(head=dict(out_channels=7))
train_dataloader = dict(
    batch_size=32,
    dataset=dict(
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/upper_body_train.json',
        data_prefix=dict(img='train/')))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/upper_body_val.json',
        bbox_file=None,
        data_prefix=dict(img='val/')))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/upper_body_val.json')
test_evaluator = val_evaluator

train_cfg = dict(max_epochs=30, val_interval=5)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.01,
         by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=30, milestones=[20, 27],
         gamma=0.1, by_epoch=True)
]
auto_scale_lr = dict(base_batch_size=32)
