"""The versions litehrnet_mm declares are the ones it checks on import, and
a wrong environment gets a sentence naming each package and why."""
import configparser
import re
from importlib import metadata
from pathlib import Path

import pytest

from litehrnet_mm.dependency_check import (
    PYTHON,
    REQUIREMENTS,
    check_dependencies,
)

REPO = Path(__file__).resolve().parents[1]


def test_mminstall_gives_the_checked_versions():
    """The README's GPU installation installs these with mim."""
    bounds = {}
    for line in (REPO / 'requirements/mminstall.txt').read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            name, low, below = re.fullmatch(
                r'([\w-]+)>=([\w.]+),<([\w.]+)', line.strip()).groups()
            bounds[name] = (low, below)
    for name, (low, below, _) in REQUIREMENTS.items():
        if name != 'torch':  # installed for the CUDA first, with pip
            assert bounds.pop(name) == (low, below), name
    assert list(bounds) == ['mmdet']  # mmpose's inferencer detects with it
    assert 'mim install -r requirements/mminstall.txt' in (
        REPO / 'README.md').read_text()


def test_setup_cfg_declares_the_checked_versions():
    cfg = configparser.ConfigParser()
    cfg.read(REPO / 'setup.cfg')
    assert cfg['options']['python_requires'] == '>={}.{}'.format(*PYTHON)
    declared = {}
    for line in cfg['options']['install_requires'].split('\n'):
        if line.strip():
            name, spec = re.match(r'([\w-]+)(.*)', line.strip()).groups()
            declared[name] = spec
    assert declared == {
        name: f'>={low}' + (f',<{below}' if below else '')
        for name, (low, below, _) in REQUIREMENTS.items()}


def test_the_tested_stack_passes():
    check_dependencies()  # the pinned stack of requirements/constraints.txt


def test_old_and_too_new_versions_are_named_with_the_reason():
    installed = dict(torch='2.4.1+cpu', mmengine='0.10.7', mmcv='2.2.0',
                     mmpose='1.3.2')
    with pytest.raises(ImportError) as error:
        check_dependencies(installed.__getitem__, (3, 8, 10))
    message = str(error.value)
    assert 'Python >= 3.9 (found 3.8.10)' in message
    assert ('torch>=2.6 (found 2.4.1+cpu), for torch.export-based ONNX'
            in message)
    assert 'mmcv>=2.0.0,<2.2.0 (found 2.2.0)' in message
    assert 'mmengine>=' not in message and 'mmpose>=' not in message
    assert 'tools/setup_env.sh' in message


def test_a_missing_package_is_named():
    def version(name):
        if name == 'mmpose':
            raise metadata.PackageNotFoundError(name)
        return dict(torch='2.14.1', mmengine='0.10.7', mmcv='2.1.0')[name]

    with pytest.raises(ImportError, match=r'mmpose>=1.1.0,<1.4.0 \(not '
                       r'installed\)'):
        check_dependencies(version, (3, 11, 7))
