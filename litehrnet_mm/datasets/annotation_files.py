"""Check a keypoint annotation file before a dataset reads it.

mmpose's datasets read their ``ann_file`` trusting its format: a missing
file is an ``AssertionError``, a file that is not JSON a decoder error that
names no file, a file of another format or keypoint set a ``KeyError`` or a
reshape error from inside, or no error at all until the codec meets the
wrong number of keypoints; a missing image shows up one batch at a time,
hours into a run. These checks read the file once and say, naming the file
and the entry, what is wrong with it and what was expected.
"""
import json
import os
import os.path as osp
from typing import Any, Dict, Iterable, List, Sequence

_SHOWN = 3


def read_json(ann_file: str, dataset: str) -> Any:
    """The parsed ``ann_file`` of ``dataset``.

    Raises:
        FileNotFoundError: The file does not exist.
        IsADirectoryError: The path is a folder.
        ValueError: The file is not JSON.
    """
    if osp.isdir(ann_file):
        raise IsADirectoryError(
            f'{dataset}: ann_file {ann_file} is a folder; give the '
            'annotation file in it')
    if not osp.isfile(ann_file):
        raise FileNotFoundError(
            f'{dataset}: annotation file {ann_file} does not exist (the '
            "config's data_root joined with ann_file)")
    try:
        with open(ann_file, encoding='utf-8') as file:
            return json.load(file)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(
            f'{dataset}: annotation file {ann_file} is not JSON ({error})'
        ) from None


def check_coco_file(ann_file: str, dataset: str, num_keypoints: int,
                    img_dir: str,
                    keypoint_keys: Sequence[str] = ('keypoints', )) -> None:
    """Check a COCO-format keypoint file: its ``images`` and
    ``annotations``, each annotation's image, keypoint count and box (where
    it has one), and that the annotated images exist.

    Args:
        ann_file (str): The annotation file.
        dataset (str): The dataset's name, for the messages.
        num_keypoints (int): Keypoints per instance in the dataset's
            metainfo.
        img_dir (str): The folder ``file_name`` is relative to.
        keypoint_keys (Sequence[str]): The annotation keys that hold
            ``3 * num_keypoints`` numbers (``x, y, visibility``).

    Raises:
        FileNotFoundError: The file, or images it annotates, are missing.
        ValueError: The file is not a COCO keypoint file for this dataset.
    """
    content = read_json(ann_file, dataset)
    where = f'{dataset}: {ann_file}'
    if not isinstance(content, dict) or not all(
            isinstance(content.get(key), list)
            for key in ('images', 'annotations')):
        raise ValueError(
            f"{where} is not a COCO annotation file: expected a JSON object "
            f"with 'images' and 'annotations' lists, found {_shape(content)}")
    images = {}
    for index, image in enumerate(content['images']):
        _require(image, ('id', 'file_name'), f'{where}: images[{index}]')
        images[image['id']] = image['file_name']
    annotated = set()
    for index, ann in enumerate(content['annotations']):
        entry = f'{where}: annotations[{index}]'
        _require(ann, ('id', 'image_id', 'category_id'), entry)
        entry += f" (id {ann['id']})"
        if ann['image_id'] not in images:
            raise ValueError(f"{entry} is for image_id {ann['image_id']}, "
                             "which is not in 'images'")
        for key in keypoint_keys:
            _require(ann, (key, ), entry)
            _check_count(ann[key], 3 * num_keypoints, f"{entry}['{key}']",
                         dataset, num_keypoints, 3)
        if 'bbox' in ann:
            _check_count(ann['bbox'], 4, f"{entry}['bbox']")
        annotated.add(images[ann['image_id']])
    check_images_exist(sorted(annotated), img_dir, where)


def check_mpii_file(ann_file: str, dataset: str, num_keypoints: int,
                    img_dir: str) -> None:
    """Check an MPII-format file: a list of people, each with ``image``,
    ``center``, ``scale``, ``joints`` and ``joints_vis``, and that the
    images exist.

    Args:
        ann_file (str): The annotation file.
        dataset (str): The dataset's name, for the messages.
        num_keypoints (int): Joints per person in the dataset's metainfo.
        img_dir (str): The folder ``image`` is relative to.

    Raises:
        FileNotFoundError: The file, or images it annotates, are missing.
        ValueError: The file is not an MPII file for this dataset.
    """
    content = read_json(ann_file, dataset)
    where = f'{dataset}: {ann_file}'
    if not isinstance(content, list):
        raise ValueError(
            f'{where} is not an MPII annotation file: expected a JSON list '
            f'of people, found {_shape(content)}')
    for index, person in enumerate(content):
        entry = f'{where}: [{index}]'
        _require(person, ('image', 'center', 'scale', 'joints',
                          'joints_vis'), entry)
        _check_count(person['joints'], num_keypoints, f"{entry}['joints']",
                     dataset, num_keypoints, 1)
        _check_count(person['joints_vis'], num_keypoints,
                     f"{entry}['joints_vis']", dataset, num_keypoints, 1)
    check_images_exist(sorted({p['image'] for p in content}), img_dir, where)


def check_images_exist(names: Sequence[str], img_dir: str,
                       where: str) -> None:
    """Raise ``FileNotFoundError`` naming the images of ``names`` that are
    not in ``img_dir`` (one directory listing per folder, not one look-up
    per image). Images on remote storage (``s3://...``) are not checked.
    """
    if '://' in img_dir:
        return
    listed: Dict[str, set] = {}
    missing = []
    for name in names:
        folder, base = osp.split(osp.join(img_dir, name))
        if folder not in listed:
            listed[folder] = set(os.listdir(folder)) if osp.isdir(
                folder) else set()
        if base not in listed[folder]:
            missing.append(name)
    if missing:
        raise FileNotFoundError(
            f'{where} annotates {len(names)} images; {len(missing)} of them '
            f"are not in {img_dir} (data_root joined with data_prefix['img'])"
            f": {_first(missing)}")


def _require(entry: Any, keys: Iterable[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f'{where} is {_shape(entry)}, not a JSON object')
    for key in keys:
        if key not in entry:
            raise ValueError(f"{where} has no '{key}' (it has "
                             f'{_first(list(entry))})')


def _check_count(values: Any, expected: int, where: str, dataset: str = '',
                 num_keypoints: int = 0, per_keypoint: int = 0) -> None:
    if isinstance(values, list) and len(values) == expected:
        return
    found = (f'{len(values)} numbers' if isinstance(values, list) else
             _shape(values))
    message = f'{where} has {found}, expected {expected}'
    if num_keypoints and isinstance(values, list):
        message += (
            f' ({num_keypoints} keypoints x {per_keypoint}): '
            f'{len(values) / per_keypoint:g} keypoints per instance. Is the '
            f'file for another keypoint set? {dataset} has {num_keypoints}; '
            "the config's dataset type and metainfo must match the file.")
    raise ValueError(message)


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return f'an object with keys {_first(list(value))}'
    if isinstance(value, list):
        return f'a list of {len(value)}'
    return f'a {type(value).__name__}'


def _first(items: List[Any]) -> str:
    shown = ', '.join(repr(item) for item in items[:_SHOWN])
    more = len(items) - _SHOWN
    return shown + (f' and {more} more' if more > 0 else '')
