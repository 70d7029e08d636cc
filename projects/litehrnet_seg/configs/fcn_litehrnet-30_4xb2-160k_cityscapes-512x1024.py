# Lite-HRNet-30 on Cityscapes, 512x1024 crops: mmseg's HRNetV2-W18 recipe
# (fcn_hr18_4xb2-160k_cityscapes-512x1024: SGD, lr 0.01, poly, 160k
# iterations, 4 GPUs x 2 images, random rescale 0.5-2.0, flip, photometric
# distortion), as the paper's own segmentation recipe was never released.
_base_ = [
    './_base_/models/fcn_litehrnet-30.py',
    'mmseg::_base_/datasets/cityscapes.py',
    'mmseg::_base_/default_runtime.py',
    'mmseg::_base_/schedules/schedule_160k.py'
]
crop_size = (512, 1024)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
