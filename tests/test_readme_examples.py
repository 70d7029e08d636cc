"""The README's data, deployment and benchmark commands, its many-people
example and its config of your own run as pasted, in a user's folder
(:func:`helpers.make_user_dir`).

The inference examples run in tests/test_apis/test_openmmlab_apis.py, the
train and test commands in test_readme_train_commands.py."""
import json
import shutil
import textwrap

import pytest
from helpers import (
    PYTHON,
    REPO,
    in_shell,
    in_shell_until,
    make_user_dir,
    python_blocks,
    run,
    shell_commands,
)

README = REPO / 'README.md'


@pytest.fixture(scope='module')
def user_dir(tmp_path_factory, lite18_checkpoint):
    return make_user_dir(tmp_path_factory.mktemp('user'), lite18_checkpoint)


@pytest.fixture(scope='module')
def deployed(user_dir):
    """The Deployment section's commands, run as written."""
    commands = python_blocks(README, 'Deployment', language='bash')[0]
    return in_shell(commands, user_dir).stdout


def test_deployment_commands_run_as_pasted(user_dir, deployed):
    assert (user_dir / 'model.onnx').is_file()
    assert (user_dir / 'model_int8.onnx').is_file()
    assert 'coco/AP' in deployed


def test_benchmark_commands_run_as_pasted(user_dir):
    """The benchmark until it has built, exported and loaded every
    candidate and prints its header (its minutes of timing run with fewer
    rounds in tests/test_tools/test_analysis_and_deployment_tools.py); then
    the tables command on the README's results file in the place of the
    one it would write: it prints what the README shows."""
    (block, ) = python_blocks(README, 'Deployment', language='bash')[1:]
    benchmark, tables = shell_commands(block)
    out = in_shell_until(benchmark, r' cores, 2 threads; python ', user_dir)
    assert 'input 256x192' in out
    results = README.read_text().split('<!-- results: ')[1].split()[0]
    shutil.copy(REPO / results, user_dir / 'results.json')
    printed = in_shell(tables, user_dir).stdout
    assert printed.strip() in README.read_text()


def test_many_people_example_runs_as_pasted(user_dir, deployed):
    _, init_model_example = python_blocks(README, 'Inference')
    (example, ) = python_blocks(README, 'Many people per image')
    out = run([PYTHON, '-c', init_model_example + example + textwrap.dedent('''
        print(len(results), results[0].pred_instances.keypoints.shape)
    ''')], cwd=user_dir).stdout
    assert out.strip().splitlines()[-1] == '2 (1, 17, 2)'


def test_config_of_your_own_runs_as_pasted(user_dir):
    (config, ) = python_blocks(README, 'Configs of your own')
    path = user_dir / config.splitlines()[0].lstrip('# ')
    path.parent.mkdir(parents=True)
    path.write_text(config)
    out = run([PYTHON, '-c', textwrap.dedent(f'''
        import litehrnet_mm
        from mmpose.apis import init_model
        model = init_model({str(path.relative_to(user_dir))!r},
                           'checkpoint.pth', device='cpu')
        print(model.backbone.frozen_stages, any(
            p.requires_grad for p in model.backbone.stem.parameters()))
    ''')], cwd=user_dir).stdout
    assert out.strip().splitlines()[-1] == '1 False'


def test_data_command_runs_as_pasted(user_dir):
    (command, ) = python_blocks(README, 'Data', language='bash')
    in_shell(command, user_dir)
    made = user_dir / 'data' / 'synthetic_coco'
    people = json.loads((made / 'annotations' /
                         'person_keypoints_train.json').read_text())
    assert len(people['images']) == 3000
    assert len(list((made / 'val').glob('*.jpg'))) == 200
