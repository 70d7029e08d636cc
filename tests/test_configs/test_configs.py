"""The shipped configs: mmpose's naming, our scope, listed in the
metafiles, each building a model that runs, the same in any default
scope."""
import re

import pytest
import torch
import yaml
from helpers import CONFIGS, REPO
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.registry import DefaultScope, Registry
from mmpose.registry import DATA_SAMPLERS, DATASETS, HOOKS
from mmpose.registry import MODELS as MMPOSE_MODELS

from litehrnet_mm import registry as ours_registry
from litehrnet_mm.models import LiteHRNet, LiteHRNetHead
from litehrnet_mm.registry import MODELS

TASK_CONFIGS = sorted(p for p in CONFIGS.glob('*_keypoint/**/*.py'))
# the downstream example's config, which inherits ours
PROJECT_CONFIGS = sorted(REPO.glob('projects/upper_body/configs/td-hm_*.py'))
NAME = re.compile(r'td-hm_[a-z0-9-]+_\d+xb\d+-\d+e_[a-z0-9-]+-\d+x\d+\.py')


def test_there_are_configs():
    assert len(TASK_CONFIGS) >= 11


@pytest.mark.parametrize('path', TASK_CONFIGS, ids=lambda p: p.stem)
def test_config_builds_a_model_that_runs(path):
    assert NAME.fullmatch(path.name), path.name
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'litehrnet_mm'
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        model = MODELS.build(cfg.model).eval()
    assert isinstance(model.backbone, LiteHRNet)
    assert isinstance(model.head, LiteHRNetHead)
    width, height = cfg.model.head.decoder.input_size
    with torch.no_grad():
        heatmaps = model._forward(torch.randn(1, 3, height, width))
    expected = cfg.model.head.decoder.heatmap_size
    assert heatmaps.shape == (1, cfg.model.head.out_channels, expected[1],
                              expected[0])


def _metafile_models():
    index = yaml.safe_load(
        (REPO / 'litehrnet_mm' / '.mim' / 'model-index.yml').read_text())
    models = []
    for metafile in index['Import']:
        models += yaml.safe_load((REPO / metafile).read_text())['Models']
    return models


def test_model_index_lists_every_task_config():
    listed = {REPO / m['Config'] for m in _metafile_models()}
    assert all(path.is_file() for path in listed)
    unlisted = set(TASK_CONFIGS) - listed
    assert {p for p in unlisted if 'synthetic' not in p.parts} == set()


@pytest.mark.parametrize('entry', _metafile_models(), ids=lambda m: m['Name'])
def test_metafile_parameter_counts_are_the_models(entry):
    cfg = Config.fromfile(REPO / entry['Config'])
    assert entry['Name'] == (REPO / entry['Config']).stem
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        model = MODELS.build(cfg.model)
    count = sum(p.numel() for p in model.parameters())
    assert entry['Metadata']['Parameters'] == count


# a downstream project's scope, its registries children of this package's
DOWNSTREAM = 'litehrnet_mm_tests_downstream'
for _node in ('MODELS', 'TRANSFORMS', 'DATA_SAMPLERS', 'HOOKS', 'DATASETS'):
    _parent = getattr(ours_registry, _node)
    Registry(_parent.name, parent=_parent, scope=DOWNSTREAM)


def _resolved(registry, name: str) -> type:
    """The class ``name`` means to ``registry`` in the current scope."""
    with registry.switch_scope_and_registry(None) as scoped:
        return scoped.get(name)


def _built_in(scope: str, cfg: Config) -> dict:
    """The classes ``cfg`` builds with ``scope`` as the default scope."""
    with DefaultScope.overwrite_default_scope(scope):
        model = MMPOSE_MODELS.build(cfg.model)
        loader = cfg.train_dataloader
        hooks = [*cfg.default_hooks.values(), *cfg.custom_hooks]
        return dict(
            model=[type(m) for m in model.modules()],
            pipeline=[type(t) for t in
                      Compose(loader.dataset.pipeline).transforms],
            sampler=_resolved(DATA_SAMPLERS, loader.sampler.type),
            hooks=[_resolved(HOOKS, h['type']) for h in hooks],
            dataset=_resolved(DATASETS, loader.dataset.type))


@pytest.mark.parametrize('path', TASK_CONFIGS + PROJECT_CONFIGS,
                         ids=lambda p: p.stem)
def test_config_builds_the_same_in_any_scope(path):
    """From mmpose's default scope (MMPoseInferencer's) or a downstream
    project's, the configs build this package's modules, not mmpose's of the
    same name: they are named with their scope."""
    cfg = Config.fromfile(path)
    ours, mmposes = _built_in('litehrnet_mm', cfg), _built_in('mmpose', cfg)
    assert LiteHRNet in mmposes['model']
    assert LiteHRNetHead in mmposes['model']
    for part in ('model', 'pipeline', 'sampler', 'hooks'):
        assert mmposes[part] == ours[part], part
    # and from a downstream project's scope, the same as in ours
    assert _built_in(DOWNSTREAM, cfg) == ours
    # the dataset keeps mmpose's name: in mmpose's scope it is mmpose's own
    # class, which MMPoseInferencer reads to pick its default detector;
    # ours is that class with the annotation file checked first
    assert mmposes['dataset'].__module__.startswith('mmpose.datasets')
    assert ours['dataset'].__bases__[-1] is mmposes['dataset']
