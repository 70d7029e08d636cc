"""The example project trains and tests through `mim`, inheriting
litehrnet_mm's config by the `litehrnet_mm::` prefix."""
import json

from helpers import MIM, PYTHON, REPO, run

PROJECT = REPO / 'projects' / 'upper_body'
CONFIG = (PROJECT / 'configs' /
          'td-hm_litehrnet-18_1xb32-30e_upper-body-256x192.py')


def _cfg_options(root):
    options = ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1']
    for split, ann in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        options += [
            f'{split}_dataloader.dataset.data_root={root}/',
            f'{split}_dataloader.batch_size=2',
            f'{split}_dataloader.num_workers=0',
            f'{split}_dataloader.persistent_workers=False',
        ]
        if split != 'train':
            options.append(f'{split}_evaluator.ann_file={root}/annotations/'
                           f'upper_body_{ann}.json')
    return options


def test_upper_body_project(coco_root, tmp_path):
    root = tmp_path / 'upper_body'
    (root / 'annotations').mkdir(parents=True)
    for split in ('train', 'val'):
        (root / split).symlink_to(coco_root / split)
        run([PYTHON, PROJECT / 'tools' / 'coco_to_upper_body.py',
             coco_root / 'annotations' / f'person_keypoints_{split}.json',
             root / 'annotations' / f'upper_body_{split}.json'])
    converted = json.loads(
        (root / 'annotations' / 'upper_body_val.json').read_text())
    assert all(len(a['keypoints']) == 21 for a in converted['annotations'])

    work = tmp_path / 'work'
    run([MIM, 'train', 'litehrnet_mm', CONFIG, '--work-dir', work,
         '--cfg-options', *_cfg_options(root)], cwd=tmp_path)
    checkpoint = work / 'epoch_1.pth'
    metrics = tmp_path / 'metrics.json'
    run([MIM, 'test', 'litehrnet_mm', CONFIG, '--checkpoint', checkpoint,
         '--work-dir', work, '--out', metrics, '--cfg-options',
         *_cfg_options(root)], cwd=tmp_path)
    assert 'coco/AP' in json.loads(metrics.read_text())
    import torch
    meta = torch.load(checkpoint, map_location='cpu')['meta']
    assert meta['dataset_meta']['dataset_name'] == 'upper_body'
    assert meta['dataset_meta']['num_keypoints'] == 7
