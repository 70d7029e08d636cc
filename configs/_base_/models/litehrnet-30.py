# Lite-HRNet-30: Lite-HRNet-18 with 3/8/3 modules per stage; 1,763,020
# backbone parameters.
_base_ = ['./litehrnet-18.py']

model = dict(
    backbone=dict(extra=dict(stages_spec=dict(num_modules=(3, 8, 3)))))
