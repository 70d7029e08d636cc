# Lite-HRNet-18 for semantic segmentation. The backbone is litehrnet_mm's
# LiteHRNet with the architecture of the pose config it inherits
# (configs/_base_/models/litehrnet-18.py: conditional channel weighting
# blocks, widths 40/80/160/320, 2/4/2 modules per stage, the iterative head)
# returning all four branches, highest resolution first (out_indices), with
# 40/40/80/160 channels after the iterative head. The decode head is mmseg's
# FCNHead as HRNetV2 uses it: every branch bilinearly upsampled to 1/4 of
# the input and concatenated (320 channels); here one 1x1 conv maps them to
# the class logits (num_convs=0: HRNetV2-W18's extra 1x1 conv of 270 to 270
# channels would cost, at Lite-HRNet's 320 channels, more than the backbone).
# The pose base is named by its path in this repository, not by
# `litehrnet_mm::`: mmengine resolves that prefix only once litehrnet_mm is
# imported, and mmseg's API reads the config before any custom_imports run.
_base_ = ['../../../../../configs/_base_/models/litehrnet-18.py']
custom_imports = dict(
    imports=['litehrnet_mm', 'projects.litehrnet_seg.models'],
    allow_failed_imports=False)
norm_cfg = dict(type='SyncBN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    _delete_=True,
    type='CheckedEncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='LiteHRNet',
        in_channels=3,
        norm_cfg=norm_cfg,
        norm_eval=False,
        out_indices=(0, 1, 2, 3),
        extra={{_base_.model.backbone.extra}}),
    decode_head=dict(
        type='FCNHead',
        in_channels=[40, 40, 80, 160],
        in_index=(0, 1, 2, 3),
        channels=320,
        input_transform='resize_concat',
        kernel_size=1,
        num_convs=0,
        concat_input=False,
        dropout_ratio=-1,
        num_classes=19,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
