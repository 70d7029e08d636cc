# Naive Lite-HRNet-18: ShuffleNet V2 blocks instead of conditional channel
# weighting, widths 30/60/120/240; 759,838 backbone parameters.
_base_ = ['./litehrnet-18.py']

model = dict(
    backbone=dict(
        extra=dict(
            stages_spec=dict(
                module_type=('NAIVE', 'NAIVE', 'NAIVE'),
                num_channels=((30, 60), (30, 60, 120), (30, 60, 120,
                                                        240))))),
    head=dict(in_channels=30))
