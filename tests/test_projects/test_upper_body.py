"""The example project trains and tests through `mim`, inheriting
litehrnet_mm's config by the `litehrnet_mm::` prefix; its README's commands
run as pasted."""
import json
import shutil

from helpers import (
    LOOP_STARTS,
    MIM,
    PYTHON,
    REPO,
    in_shell,
    in_shell_until,
    link_checkout,
    python_blocks,
    run,
)

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


def _upper_body_data(coco_root, root):
    """The generated COCO people converted by the project's tool."""
    (root / 'annotations').mkdir(parents=True)
    for split in ('train', 'val'):
        (root / split).symlink_to(coco_root / split)
        run([PYTHON, PROJECT / 'tools' / 'coco_to_upper_body.py',
             coco_root / 'annotations' / f'person_keypoints_{split}.json',
             root / 'annotations' / f'upper_body_{split}.json'])
    return root


def test_upper_body_project(coco_root, tmp_path):
    root = _upper_body_data(coco_root, tmp_path / 'upper_body')
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


def test_readme_commands_run_as_pasted(tmp_path, coco_root):
    """In a user's checkout: the data commands as pasted; the 30-epoch
    training until its loop starts (its first logged iterations take
    minutes; test_upper_body_project trains the config); the test command
    on a checkpoint of a one-epoch run put where it looks."""
    link_checkout(tmp_path)
    (block, ) = python_blocks(PROJECT / 'README.md', 'Example project: '
                              'upper-body keypoints with Lite-HRNet-18',
                              language='bash')
    data, train_and_test = block.split('\n\n')
    in_shell(data, tmp_path)
    converted = json.loads((tmp_path / 'data' / 'upper_body' / 'annotations'
                            / 'upper_body_train.json').read_text())
    assert len(converted['images']) == 2000
    train, test = train_and_test.split('\n.venv/bin/mim test')
    test = '.venv/bin/mim test' + test
    out = in_shell_until(train, LOOP_STARTS, tmp_path)
    assert "data_root = 'data/upper_body/'" in out

    checkpoint = tmp_path / test.split('--checkpoint ')[1].split()[0]
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    small = _upper_body_data(coco_root, tmp_path / 'small')
    run([MIM, 'train', 'litehrnet_mm', CONFIG, '--work-dir', tmp_path / 'one',
         '--cfg-options', *_cfg_options(small)], cwd=tmp_path)
    shutil.copy(tmp_path / 'one' / 'epoch_1.pth', checkpoint)
    assert 'coco/AP' in in_shell(test, tmp_path).stdout
