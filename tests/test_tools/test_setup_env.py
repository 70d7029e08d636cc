"""tools/setup_env.sh and its pin file: pins that work on any machine."""
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r'^[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+$')


def test_every_constraint_is_a_name_and_a_version():
    lines = (REPO / 'requirements/constraints.txt').read_text().splitlines()
    pins = [line for line in lines if line and not line.startswith('#')]
    assert pins and all(PIN.match(line) for line in pins), [
        line for line in pins if not PIN.match(line)]
    names = [line.split('==')[0].lower() for line in pins]
    assert len(names) == len(set(names))
    assert {'mmcv', 'mmengine', 'mmpose', 'torch'} <= set(names)


def test_setup_refuses_a_pin_that_names_a_file(tmp_path):
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'requirements').mkdir()
    shutil.copy(REPO / 'tools/setup_env.sh', tmp_path / 'tools')
    pins = (REPO / 'requirements/constraints.txt').read_text()
    bad = 'mmcv @ file:///root/.cache/mmcv-2.1.0-cp311-linux_x86_64.whl'
    (tmp_path / 'requirements/constraints.txt').write_text(
        pins + bad + '\n')
    proc = subprocess.run(['bash', 'tools/setup_env.sh'], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert 'only name==version lines' in proc.stderr
    assert bad in proc.stderr
    assert not (tmp_path / '.venv').exists()
