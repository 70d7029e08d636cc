# Metainfo of the upper-body keypoint set: COCO's nose, shoulders, elbows
# and wrists (7 keypoints), with COCO's OKS sigmas for them.
dataset_info = dict(
    dataset_name='upper_body',
    paper_info=dict(
        author='litehrnet_mm example project',
        title='Upper-body keypoints (a subset of COCO)',
        container='',
        year='2026',
        homepage=''),
    keypoint_info={
        0: dict(name='nose', id=0, color=[51, 153, 255], type='upper',
                swap=''),
        1: dict(name='left_shoulder', id=1, color=[0, 255, 0], type='upper',
                swap='right_shoulder'),
        2: dict(name='right_shoulder', id=2, color=[255, 128, 0],
                type='upper', swap='left_shoulder'),
        3: dict(name='left_elbow', id=3, color=[0, 255, 0], type='upper',
                swap='right_elbow'),
        4: dict(name='right_elbow', id=4, color=[255, 128, 0], type='upper',
                swap='left_elbow'),
        5: dict(name='left_wrist', id=5, color=[0, 255, 0], type='upper',
                swap='right_wrist'),
        6: dict(name='right_wrist', id=6, color=[255, 128, 0], type='upper',
                swap='left_wrist'),
    },
    skeleton_info={
        0: dict(link=('left_shoulder', 'right_shoulder'), id=0,
                color=[51, 153, 255]),
        1: dict(link=('left_shoulder', 'left_elbow'), id=1,
                color=[0, 255, 0]),
        2: dict(link=('left_elbow', 'left_wrist'), id=2, color=[0, 255, 0]),
        3: dict(link=('right_shoulder', 'right_elbow'), id=3,
                color=[255, 128, 0]),
        4: dict(link=('right_elbow', 'right_wrist'), id=4,
                color=[255, 128, 0]),
    },
    joint_weights=[1., 1., 1., 1.2, 1.2, 1.5, 1.5],
    sigmas=[0.026, 0.079, 0.079, 0.072, 0.072, 0.062, 0.062])
