"""The README's train and test commands run as pasted, one after another,
in a user's folder (:func:`helpers.make_user_dir`): each 210-epoch
training is stopped once its first epoch is logged, and the checkpoints
that the test and resume commands read are put where they look."""
import re
import shutil

import pytest
from helpers import (
    LOOP_STARTS,
    REPO,
    in_shell,
    in_shell_until,
    make_user_dir,
    python_blocks,
    shell_commands,
)

# a training's first logged epoch: mmengine's "Epoch(train)   [1][2/2] ..."
FIRST_EPOCH = r'Epoch\(train\) +\[1\]\['
SECOND_EPOCH = r'Epoch\(train\) +\[2\]\['


@pytest.fixture(scope='module')
def user_dir(tmp_path_factory, lite18_checkpoint):
    return make_user_dir(tmp_path_factory.mktemp('user'), lite18_checkpoint)


@pytest.fixture(scope='module')
def commands():
    (block, ) = python_blocks(REPO / 'README.md', 'Train and test',
                              language='bash')
    commands = shell_commands(block)
    assert len(commands) == 4, commands
    return dict(zip(('train', 'test', 'several_gpus', 'resume'), commands))


def test_train_command(user_dir, commands):
    assert '--work-dir work_dirs/lite18' in commands['train']
    out = in_shell_until(commands['train'], FIRST_EPOCH, user_dir)
    assert LOOP_STARTS in out
    assert list((user_dir / 'work_dirs' / 'lite18').glob('*/*.log'))


def test_test_command(user_dir, commands, lite18_checkpoint):
    checkpoint = commands['test'].split('--checkpoint ')[1].split()[0]
    (user_dir / checkpoint).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(lite18_checkpoint, user_dir / checkpoint)
    out = in_shell(commands['test'], user_dir).stdout
    assert 'coco/AP' in out


def test_several_gpus_command(user_dir, commands):
    """On a machine without CUDA the 8 processes train over gloo."""
    out = in_shell_until(commands['several_gpus'], FIRST_EPOCH, user_dir)
    assert 'nproc_per_node=8' in out
    assert "dist_cfg: {'backend': 'gloo'}" in out


def test_resume_command(user_dir, commands, lite18_checkpoint):
    """A run with a checkpoint of its first epoch continues at the
    second."""
    work_dir = user_dir / 'work_dirs' / 'lite18'
    work_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(lite18_checkpoint, work_dir / 'epoch_1.pth')
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'epoch_1.pth'))
    out = in_shell_until(commands['resume'], SECOND_EPOCH, user_dir)
    assert 'resumed epoch: 1' in out
    assert not re.search(FIRST_EPOCH, out)
