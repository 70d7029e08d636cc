# Lite-HRNet-30 for semantic segmentation: Lite-HRNet-18's model with 3/8/3
# modules per stage (as configs/_base_/models/litehrnet-30.py).
_base_ = ['./fcn_litehrnet-18.py']
model = dict(
    backbone=dict(extra=dict(stages_spec=dict(num_modules=(3, 8, 3)))))
