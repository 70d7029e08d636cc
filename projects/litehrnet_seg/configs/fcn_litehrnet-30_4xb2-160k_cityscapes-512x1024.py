# Lite-HRNet-30 on Cityscapes: the Lite-HRNet-18 config with 3/8/3 modules
# per stage (as configs/_base_/models/litehrnet-30.py).
_base_ = ['./fcn_litehrnet-18_4xb2-160k_cityscapes-512x1024.py']
model = dict(
    backbone=dict(extra=dict(stages_spec=dict(num_modules=(3, 8, 3)))))
