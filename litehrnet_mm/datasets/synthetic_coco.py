"""A synthetic COCO person-keypoints dataset: rendered articulated people.

Each image holds one to several people drawn from a 2D kinematic model with
COCO's 17 keypoints and human limb proportions, like articulated mannequins:
tapered, shaded limbs on ball joints, a head with a face, clothing colours,
varied poses within joint limits, scales and in-plane rotations,
overlapping one another, cut by the image border and hidden behind objects,
on textured or photographic-noise backgrounds. The
labels follow COCO: a keypoint outside the image is not labelled (v=0), one
hidden behind another person or an object is labelled occluded (v=1), one in
sight visible (v=2); ``bbox`` and ``area`` come from the person's silhouette.
mmpose's ``CocoDataset`` and ``CocoMetric`` read the result unchanged.
"""
import contextlib
import json
import math
import multiprocessing
import os.path as osp
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np
from mmengine.utils import mkdir_or_exist

from litehrnet_mm.cli.progress import Progress

# COCO's keypoints, in order
KEYPOINTS = ('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
             'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
             'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
             'left_knee', 'right_knee', 'left_ankle', 'right_ankle')
SKELETON = [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12],
            [7, 13], [6, 7], [6, 8], [7, 9], [8, 10], [9, 11], [2, 3],
            [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]]

IMAGE_SIZE = (256, 320)  # height, width
# body-part classes of the part maps (render_scene): what the renderer
# draws as distinct shapes, 0 where no person is seen
PART_CLASSES = ('background', 'head', 'torso', 'arm', 'leg')
PART_HEAD, PART_TORSO, PART_ARM, PART_LEG = 1, 2, 3, 4
# limb lengths as fractions of the body height
UPPER_ARM, FOREARM, THIGH, SHIN = 0.17, 0.15, 0.245, 0.245
TORSO, SHOULDER_HALF, HIP_HALF, NECK, HEAD_RADIUS = 0.30, 0.12, 0.085, \
    0.10, 0.065


def _rot(angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s], [s, c]])


def _direction(angle: float) -> np.ndarray:
    """Unit vector at ``angle`` from straight down (image y grows down)."""
    return np.array([-math.sin(angle), math.cos(angle)])


def sample_pose(rng: np.random.Generator, height: float,
                centre: np.ndarray) -> Tuple[np.ndarray, dict]:
    """Sample the 17 keypoints of a person facing the camera.

    The person's left is on the image's right. Joint angles stay within
    human limits: arms from hanging to raised overhead, elbows bending up to
    150 degrees (mostly moderately, as in everyday poses), legs spreading
    and knees bending moderately.

    Args:
        rng (Generator): Random numbers.
        height (float): Body height in pixels.
        centre (ndarray): Position of the hip centre, (x, y).

    Returns:
        tuple: Keypoints (17, 2) and the drawing parameters (head centre and
        radius, yaw, the body's rotation).
    """
    scale = height * rng.uniform(0.93, 1.07, size=4)  # per-limb variation
    tilt = float(np.clip(rng.normal(0, 0.25), -0.7, 0.7))
    lean = rng.normal(0, 0.08)
    rotation = _rot(tilt)
    neck = centre + rotation @ np.array([lean * height, -TORSO * height])
    k = np.zeros((17, 2))
    k[5] = neck + rotation @ np.array([SHOULDER_HALF * height, 0.02 * height])
    k[6] = neck + rotation @ np.array([-SHOULDER_HALF * height,
                                       0.02 * height])
    k[11] = centre + rotation @ np.array([HIP_HALF * height, 0])
    k[12] = centre + rotation @ np.array([-HIP_HALF * height, 0])
    for side, (s, e, w) in ((1, (5, 7, 9)), (-1, (6, 8, 10))):
        raise_ = rng.uniform(-0.3, 2.9) if rng.random() < 0.8 else \
            rng.uniform(-0.3, 0.4)
        # elbow flexion: up to 150 degrees, most often 20-80
        bend = 2.6 * rng.beta(1.5, 2.5) * rng.choice([1, -1], p=[0.7, 0.3])
        k[e] = k[s] + UPPER_ARM * scale[0] * _direction(tilt + side * raise_)
        k[w] = k[e] + FOREARM * scale[1] * _direction(
            tilt + side * (raise_ + bend))
    for side, (h, kn, a) in ((1, (11, 13, 15)), (-1, (12, 14, 16))):
        spread = rng.uniform(-0.15, 0.7) if rng.random() < 0.85 else \
            rng.uniform(0.7, 1.5)
        bend = rng.uniform(-0.9, 0.6)
        k[kn] = k[h] + THIGH * scale[2] * _direction(tilt + side * spread)
        k[a] = k[kn] + SHIN * scale[3] * _direction(
            tilt + side * (spread + bend))
    head_tilt = tilt + rng.normal(0, 0.2)
    head = neck + NECK * height * _direction(head_tilt + math.pi)
    radius = HEAD_RADIUS * height
    yaw = float(np.clip(rng.normal(0, 0.35), -0.8, 0.8))
    face = _rot(head_tilt)
    k[0] = head + face @ np.array([yaw * radius, 0.25 * radius])
    k[1] = head + face @ np.array([(0.38 + yaw * 0.8) * radius,
                                   -0.2 * radius])
    k[2] = head + face @ np.array([(-0.38 + yaw * 0.8) * radius,
                                   -0.2 * radius])
    k[3] = head + face @ np.array([(0.95 - 0.3 * max(yaw, 0)) * radius, 0])
    k[4] = head + face @ np.array([(-0.95 - 0.3 * min(yaw, 0)) * radius, 0])
    return k, dict(head=head, radius=radius, yaw=yaw, tilt=head_tilt)


def _limb_polygon(a: np.ndarray, b: np.ndarray, wa: float,
                  wb: float) -> np.ndarray:
    """A tapered limb from ``a`` (width ``wa``) to ``b`` (width ``wb``)."""
    d = b - a
    n = np.array([-d[1], d[0]]) / (np.linalg.norm(d) + 1e-6)
    return np.array([a + n * wa / 2, b + n * wb / 2, b - n * wb / 2,
                     a - n * wa / 2])


def _shade(color: np.ndarray, factor: float) -> tuple:
    return tuple(int(c) for c in np.clip(color * factor, 0, 255))


def _fill(image, marks, polygon, color, light):
    """A shaded limb: base colour, a lit band along one side, an outline;
    ``marks`` (label map, value) pairs record where it lies."""
    pts = np.round(polygon * 16).astype(np.int32)
    cv2.fillConvexPoly(image, pts, _shade(color, 0.8), cv2.LINE_AA, 4)
    for target, value in marks:
        cv2.fillConvexPoly(target, pts, value, cv2.LINE_8, 4)
    lit = polygon.copy()
    lit[2:] = lit[2:] * 0.55 + lit[1::-1] * 0.45
    if light < 0:
        lit = polygon.copy()
        lit[:2] = lit[:2] * 0.55 + lit[:1:-1] * 0.45
    cv2.fillConvexPoly(image, np.round(lit * 16).astype(np.int32),
                       _shade(color, 1.15), cv2.LINE_AA, 4)
    cv2.polylines(image, [pts], True, _shade(color, 0.45), 1, cv2.LINE_AA, 4)


def _disc(image: np.ndarray, centre: np.ndarray, radius: float,
          color) -> None:
    """A filled disc at sub-pixel precision."""
    cv2.circle(image, tuple(np.round(centre * 16).astype(int)),
               max(8, int(radius * 16)), tuple(float(c) for c in color), -1,
               cv2.LINE_AA, 4)


def _joint(image: np.ndarray, centre: np.ndarray, radius: float,
           color: np.ndarray) -> None:
    """A ball joint, as on an articulated mannequin: a darker disc with a
    highlight, centred on the keypoint."""
    _disc(image, centre, max(1.0, radius), _shade(color, 0.6))
    _disc(image, centre, max(1.0, radius) / 3, _shade(color, 1.3))


def draw_person(image: np.ndarray, labels: np.ndarray, keypoints: np.ndarray,
                head: dict, height: float, label: int,
                rng: np.random.Generator, parts: np.ndarray) -> None:
    """Draw one person; mark its silhouette with ``label`` in ``labels`` and
    its body parts (:data:`PART_CLASSES`) in ``parts``."""
    skin = np.array([rng.uniform(60, 200), rng.uniform(90, 210),
                     rng.uniform(130, 240)])
    shirt = rng.uniform(20, 240, 3)
    trousers = rng.uniform(20, 200, 3)
    light = rng.choice([-1, 1])
    k = keypoints
    w = height * rng.uniform(0.9, 1.15)
    limbs = [  # (from, to, width at from, width at to, colour)
        (11, 13, 0.095, 0.07, trousers), (13, 15, 0.07, 0.05, trousers),
        (12, 14, 0.095, 0.07, trousers), (14, 16, 0.07, 0.05, trousers),
    ]
    for a, b, wa, wb, color in limbs:
        _fill(image, [(labels, label), (parts, PART_LEG)],
              _limb_polygon(k[a], k[b], wa * w, wb * w), color, light)
        _joint(image, k[b], wb * w * 0.55, color)
    for ankle in (15, 16):
        cv2.circle(image, tuple(np.round(k[ankle]).astype(int)),
                   max(1, int(0.03 * w)), _shade(trousers, 0.4), -1)
    torso = np.array([k[5] + (k[5] - k[6]) * 0.08, k[11] + (k[11] - k[12])
                      * 0.15, k[12] + (k[12] - k[11]) * 0.15,
                      k[6] + (k[6] - k[5]) * 0.08])
    _fill(image, [(labels, label), (parts, PART_TORSO)], torso, shirt, light)
    for hip in (11, 12):
        _joint(image, k[hip], 0.095 * w * 0.55, trousers)
    neck = (k[5] + k[6]) / 2
    _fill(image, [(labels, label), (parts, PART_HEAD)],
          _limb_polygon(neck, head['head'], 0.05 * w, 0.05 * w), skin,
          light)
    axes = (int(head['radius'] * 0.85), int(head['radius'] * 1.05))
    centre = tuple(np.round(head['head']).astype(int))
    angle = math.degrees(head['tilt'])
    cv2.ellipse(image, centre, axes, angle, 0, 360, _shade(skin, 0.9), -1,
                cv2.LINE_AA)
    for target, value in ((labels, label), (parts, PART_HEAD)):
        cv2.ellipse(target, centre, axes, angle, 0, 360, value, -1)
    hair = tuple(int(c) for c in rng.uniform(10, 120, 3))
    cv2.ellipse(image, centre, axes, angle, 180, 360, hair, -1, cv2.LINE_AA)
    # face: eyes (white, dark pupil), a nose tip, ears, each centred on its
    # keypoint
    for eye in (1, 2):
        _disc(image, k[eye], head['radius'] * 0.2, (235, 235, 235))
        _disc(image, k[eye], head['radius'] * 0.1, (20, 20, 20))
    _disc(image, k[0], head['radius'] * 0.16, _shade(skin, 0.55))
    for ear in (3, 4):
        _disc(image, k[ear], head['radius'] * 0.22, _shade(skin, 0.7))
    arms = [(5, 7, 0.07, 0.055, shirt), (7, 9, 0.055, 0.04, skin),
            (6, 8, 0.07, 0.055, shirt), (8, 10, 0.055, 0.04, skin)]
    for a, b, wa, wb, color in arms:
        _fill(image, [(labels, label), (parts, PART_ARM)],
              _limb_polygon(k[a], k[b], wa * w, wb * w), color, light)
        _joint(image, k[a], wa * w * 0.55, color)
    for wrist in (9, 10):
        cv2.circle(image, tuple(np.round(k[wrist]).astype(int)),
                   max(1, int(0.028 * w)), _shade(skin, 1.0), -1)
        for target, value in ((labels, label), (parts, PART_ARM)):
            cv2.circle(target, tuple(np.round(k[wrist]).astype(int)),
                       max(1, int(0.028 * w)), value, -1)


def make_background(rng: np.random.Generator,
                    size: Tuple[int, int]) -> np.ndarray:
    """A textured scene (gradients, planes, stripes) or photographic noise
    (a 1/f sum of noise octaves), with colour."""
    h, w = size
    if rng.random() < 0.5:
        image = np.zeros((h, w, 3), np.float32)
        for octave in range(1, 6):
            cells = 2**octave
            noise = rng.normal(0, 1, (cells, cells, 3)).astype(np.float32)
            image += cv2.resize(noise, (w, h)) * (60 / octave)
        image += rng.uniform(60, 190, 3)
    else:
        gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
        start, end = rng.uniform(30, 220, 3), rng.uniform(30, 220, 3)
        t = (gx / w * rng.uniform(-1, 1) + gy / h * rng.uniform(-1, 1))
        t = (t - t.min()) / (t.max() - t.min() + 1e-6)
        image = start + (end - start) * t[..., None]
        for _ in range(rng.integers(2, 7)):
            p = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
            q = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
            color = tuple(float(c) for c in rng.uniform(0, 255, 3))
            if rng.random() < 0.5:
                cv2.rectangle(image, p, q, color, -1)
            else:
                cv2.line(image, p, q, color, int(rng.integers(1, 8)))
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.5, 2.0))
    image += rng.normal(0, rng.uniform(2, 10), (h, w, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


def draw_occluder(image: np.ndarray, marks: Sequence[tuple],
                  rng: np.random.Generator, near: np.ndarray,
                  size: float) -> None:
    """An object (box or blob) in front of the people, near ``near``;
    ``marks`` (label map, value) pairs record where it lies."""
    centre = near + rng.normal(0, size * 0.4, 2)
    half = rng.uniform(0.12, 0.35, 2) * size
    color = tuple(float(c) for c in rng.uniform(0, 255, 3))
    if rng.random() < 0.5:
        box = cv2.boxPoints((tuple(centre), tuple(half * 2),
                             rng.uniform(0, 90)))
        pts = np.round(box).astype(np.int32)
        cv2.fillConvexPoly(image, pts, color, cv2.LINE_AA)
        for target, value in marks:
            cv2.fillConvexPoly(target, pts, value)
    else:
        args = (tuple(np.round(centre).astype(int)),
                tuple(np.round(half).astype(int)), rng.uniform(0, 180), 0,
                360)
        cv2.ellipse(image, *args, color, -1, cv2.LINE_AA)
        for target, value in marks:
            cv2.ellipse(target, *args, value, -1)


def render_image(rng: np.random.Generator,
                 size: Tuple[int, int] = IMAGE_SIZE
                 ) -> Tuple[np.ndarray, List[dict]]:
    """Render one image and its people's COCO annotations.

    Args:
        rng (Generator): Random numbers.
        size (tuple[int, int]): Image height and width.

    Returns:
        tuple: The BGR image and a list of annotations (``keypoints`` as a
        flat x, y, v list, ``bbox``, ``area``, ``num_keypoints``).
    """
    image, annotations, _ = render_scene(rng, size)
    return image, annotations


def render_scene(rng: np.random.Generator,
                 size: Tuple[int, int] = IMAGE_SIZE
                 ) -> Tuple[np.ndarray, List[dict], np.ndarray]:
    """Render one image, its people's COCO annotations and its body-part
    map. The same random numbers give the image and annotations of
    :func:`render_image`.

    Args:
        rng (Generator): Random numbers.
        size (tuple[int, int]): Image height and width.

    Returns:
        tuple: The BGR image, the annotations (as :func:`render_image`'s)
        and the part map, (H, W) uint8 indices into :data:`PART_CLASSES`:
        the part of the person seen at each pixel, 0 elsewhere (objects in
        front of people included).
    """
    h, w = size
    image = make_background(rng, size)
    labels = np.zeros((h, w), np.uint8)
    parts = np.zeros((h, w), np.uint8)
    num_people = rng.choice([1, 2, 3, 4], p=[0.45, 0.3, 0.15, 0.1])
    people = []
    for index in range(num_people):
        height = h * (rng.uniform(0.55, 1.05) if index == 0 else
                      rng.uniform(0.35, 0.9))
        centre = np.array([rng.uniform(0.1, 0.9) * w,
                           rng.uniform(0.45, 0.75) * h])
        if rng.random() < 0.15:  # cut by the border
            centre[0] = rng.choice([0.0, w]) + rng.normal(0, 0.1 * height)
        keypoints, head = sample_pose(rng, height, centre)
        label = index + 1
        draw_person(image, labels, keypoints, head, height, label, rng,
                    parts)
        mask = labels == label
        people.append((keypoints, label, int(mask.sum())))
    if rng.random() < 0.5:
        for _ in range(rng.integers(1, 3)):
            target = people[rng.integers(len(people))][0]
            draw_occluder(image, [(labels, 255), (parts, 0)], rng,
                          target[rng.integers(17)], h * 0.5)

    annotations = []
    for keypoints, label, area in people:
        mask = labels == label
        if area < 64 or not mask.any():
            continue
        ys, xs = np.nonzero(mask)
        inside = ((keypoints[:, 0] >= 0) & (keypoints[:, 0] <= w - 1) &
                  (keypoints[:, 1] >= 0) & (keypoints[:, 1] <= h - 1))
        visibility = np.zeros(17, np.int64)
        for i in np.nonzero(inside)[0]:
            x, y = np.round(keypoints[i]).astype(int)
            visibility[i] = 2 if labels[y, x] == label else 1
        coords = np.where(inside[:, None], keypoints, 0.0)
        flat = np.concatenate([coords, visibility[:, None]], 1).ravel()
        # keypoints and the pixels still showing the person once every
        # person and occluder is drawn
        x0, y0 = _person_extent(keypoints, w, h, xs, ys)
        bbox = [x0[0], y0[0], x0[1] - x0[0], y0[1] - y0[0]]
        annotations.append(
            dict(keypoints=[round(float(v), 2) for v in flat],
                 num_keypoints=int((visibility > 0).sum()),
                 bbox=[round(float(v), 2) for v in bbox],
                 area=float(area), iscrowd=0, category_id=1))
    return image, annotations, parts


def _person_extent(keypoints, w, h, xs, ys):
    """Tight box around a person's keypoints and visible pixels (``xs``,
    ``ys``), clipped to the image; not padded."""
    x = np.concatenate([keypoints[:, 0], xs])
    y = np.concatenate([keypoints[:, 1], ys])
    x_range = (max(0.0, float(x.min())), min(w - 1.0, float(x.max())))
    y_range = (max(0.0, float(y.min())), min(h - 1.0, float(y.max())))
    return x_range, y_range


def _write_image(job: Tuple[str, int, int]) -> Tuple[str, Tuple[int, int],
                                                      List[dict]]:
    """Render image ``image_id`` from its own seed and write it into
    ``folder``; returns its file name, size and people. One job per image,
    so the files do not depend on how many processes share the work."""
    folder, seed, image_id = job
    image, people = render_image(np.random.default_rng([seed, image_id]))
    name = f'{image_id:012d}.jpg'
    cv2.imwrite(osp.join(folder, name), image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return name, image.shape[:2], people


def make_synthetic_coco(out_dir: str,
                        num_train: int = 2000,
                        num_val: int = 200,
                        seed: int = 0,
                        progress: bool = True,
                        workers: int = 1) -> Dict[str, str]:
    """Write a synthetic COCO person-keypoints dataset.

    Layout: ``annotations/person_keypoints_{train,val}.json`` and
    ``{train,val}/<image id>.jpg``, as COCO's with its 2017 split names
    shortened. The same seed gives the same files, with any number of
    workers.

    Args:
        out_dir (str): The dataset folder (created).
        num_train (int): Training images. Defaults to 2000.
        num_val (int): Validation images. Defaults to 200.
        seed (int): Random seed. Defaults to 0.
        progress (bool): Report progress (a bar on a terminal, a line per
            tenth in a log). Defaults to True.
        workers (int): Processes that render the images; 1 renders them in
            this process. Defaults to 1.

    Returns:
        dict: Paths of the two annotation files (``'train'``, ``'val'``).
    """
    if workers < 1:
        raise ValueError(f'workers must be at least 1, got {workers}')
    root = Path(out_dir)
    mkdir_or_exist(root / 'annotations')
    categories = [dict(id=1, name='person', supercategory='person',
                       keypoints=list(KEYPOINTS), skeleton=SKELETON)]
    paths = {}
    bar = Progress(num_train + num_val, 'images') if progress else None
    with (multiprocessing.Pool(workers) if workers > 1 else
          contextlib.nullcontext()) as pool:
        for split, count, offset in (('train', num_train, 0),
                                     ('val', num_val, 1_000_000)):
            mkdir_or_exist(root / split)
            jobs = [(str(root / split), seed, offset + i + 1)
                    for i in range(count)]
            written = (pool.imap(_write_image, jobs, chunksize=8)
                       if pool is not None else map(_write_image, jobs))
            images, annotations = [], []
            for (name, (height, width), people), (_, _, image_id) in zip(
                    written, jobs):
                images.append(dict(id=image_id, file_name=name,
                                   height=height, width=width))
                for person in people:
                    annotations.append(
                        dict(person, id=len(annotations) + offset + 1,
                             image_id=image_id))
                if bar is not None:
                    bar.update()
            paths[split] = osp.join(root, 'annotations',
                                    f'person_keypoints_{split}.json')
            with open(paths[split], 'w') as f:
                json.dump(dict(images=images, annotations=annotations,
                               categories=categories), f)
    if bar is not None:
        bar.close()
    return paths
