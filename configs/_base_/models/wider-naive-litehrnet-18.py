# Wider Naive Lite-HRNet-18: ShuffleNet V2 blocks at Lite-HRNet-18's widths
# 40/80/160/320; 1,317,928 backbone parameters.
_base_ = ['./litehrnet-18.py']

model = dict(
    backbone=dict(
        extra=dict(stages_spec=dict(module_type=('NAIVE', 'NAIVE',
                                                 'NAIVE')))))
