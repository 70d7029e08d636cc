"""The README's parameter and FLOP tables are what
``tools/analysis_tools/get_flops.py`` counts for each variant and config."""
import re
import sys

import pytest
from helpers import CONFIGS, REPO
from mmengine.config import Config
from mmengine.registry import DefaultScope

from litehrnet_mm.deploy import network_of
from litehrnet_mm.registry import MODELS

README = (REPO / 'README.md').read_text()
VARIANT_BASES = {
    'Lite-HRNet-18': 'litehrnet-18', 'Lite-HRNet-30': 'litehrnet-30',
    'Naive Lite-HRNet-18': 'naive-litehrnet-18',
    'Wider Naive Lite-HRNet-18': 'wider-naive-litehrnet-18'}
# | variant | blocks | widths | modules | params | input | FLOPs (here) | ..
VARIANT_ROWS = re.findall(
    r'^\| ((?:Wider |Naive )*Lite-HRNet-\d+) \|[^|]+\|[^|]+\|[^|]+\| '
    r'([\d,]+) \| (\d+)x(\d+) \| ([\d.]+M) \|', README, re.M)
# | `config.py` | params | FLOPs | result |
CONFIG_ROWS = re.findall(r'^\| `(\S+\.py)` \| ([\d.]+M) \| ([\d.]+M) \|',
                         README, re.M)


@pytest.fixture(scope='module')
def count():
    sys.path.insert(0, str(REPO / 'tools' / 'analysis_tools'))
    try:
        from get_flops import count
    finally:
        sys.path.remove(str(REPO / 'tools' / 'analysis_tools'))
    return count


def _model(config):
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        return MODELS.build(cfg.model), cfg


def test_the_tables_are_found():
    assert len(VARIANT_ROWS) == 10
    assert len(CONFIG_ROWS) == 11


@pytest.mark.parametrize('variant, params, height, width, flops',
                         VARIANT_ROWS, ids=lambda v: str(v))
def test_variant_rows_are_the_backbones_counts(count, variant, params,
                                               height, width, flops):
    model, _ = _model(CONFIGS / '_base_' / 'models' /
                      f'{VARIANT_BASES[variant]}.py')
    counted = count(model.backbone, (int(height), int(width)))
    assert f"{counted['params']:,}" == params
    assert f"{counted['flops'] / 1e6:.1f}M" == flops


@pytest.mark.parametrize('config, params, flops', CONFIG_ROWS,
                         ids=lambda v: str(v))
def test_config_rows_are_the_networks_counts(count, config, params, flops):
    model, cfg = _model(CONFIGS / config)
    width, height = cfg.model.head.decoder.input_size
    counted = count(network_of(model), (height, width))
    assert f"{counted['params'] / 1e6:.2f}M" == params
    assert f"{counted['flops'] / 1e6:.1f}M" == flops
