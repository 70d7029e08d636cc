"""The litehrnet_mm registry scope: children of mmpose's, never shadowing."""
import subprocess
import sys
import textwrap

import mmpose.registry as mmpose_registry
import pytest
from mmengine.registry import DefaultScope, init_default_scope

import litehrnet_mm
from litehrnet_mm import registry
from litehrnet_mm.models import (
    ConditionalChannelWeighting,
    CrossResolutionWeighting,
    IterativeHead,
    LiteHRModule,
    LiteHRNet,
    LiteHRNetHead,
    MultiResolutionFusion,
    ShuffleBlock,
    SpatialWeighting,
    Stem,
)
from litehrnet_mm.utils import register_all_modules

NODES = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'DATASETS',
    'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS', 'MODEL_WRAPPERS',
    'WEIGHT_INITIALIZERS', 'OPTIMIZERS', 'OPTIM_WRAPPERS',
    'OPTIM_WRAPPER_CONSTRUCTORS', 'PARAM_SCHEDULERS', 'METRICS',
    'EVALUATORS', 'KEYPOINT_CODECS', 'TASK_UTILS', 'VISUALIZERS',
    'VISBACKENDS', 'LOG_PROCESSORS', 'INFERENCERS'
]


@pytest.mark.parametrize('node', NODES)
def test_every_node_is_a_child_of_mmposes(node):
    ours = getattr(registry, node)
    assert ours.scope == 'litehrnet_mm'
    assert ours.parent is getattr(mmpose_registry, node)
    assert ours.parent.children['litehrnet_mm'] is ours


def test_modules_are_registered_in_our_scope():
    for module in (SpatialWeighting, CrossResolutionWeighting,
                   ConditionalChannelWeighting, ShuffleBlock, Stem,
                   MultiResolutionFusion, LiteHRModule, IterativeHead,
                   LiteHRNet, LiteHRNetHead):
        assert registry.MODELS.get(module.__name__) is module


@pytest.mark.parametrize('node', NODES)
def test_every_registered_name_is_the_packages_attribute(node):
    """``type='litehrnet_mm.<Name>'`` resolves from scopes the registry
    tree does not lead to ours from (a downstream project's, mmseg's)
    through mmengine's fallback to the import path."""
    ours = getattr(registry, node)
    ours.import_from_location()
    for name, module in ours.module_dict.items():
        assert getattr(litehrnet_mm, name) is module, name
        assert name in litehrnet_mm.__all__


def test_mmposes_litehrnet_is_not_shadowed():
    from mmpose.models.backbones import LiteHRNet as MMPoseLiteHRNet
    assert mmpose_registry.MODELS.get('LiteHRNet') is MMPoseLiteHRNet
    assert mmpose_registry.MODELS.get('litehrnet_mm.LiteHRNet') is LiteHRNet
    assert mmpose_registry.MODELS.module_dict['LiteHRNet'] is \
        MMPoseLiteHRNet


def test_default_scope_falls_back_to_mmpose_and_mmengine():
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        transform = registry.TRANSFORMS.build(dict(type='LoadImage'))
        codec = registry.KEYPOINT_CODECS.build(
            dict(type='MSRAHeatmap', input_size=(192, 256),
                 heatmap_size=(48, 64), sigma=2))
        metric = registry.METRICS.build(dict(type='PCKAccuracy'))
        loss = registry.MODELS.build(dict(type='KeypointMSELoss'))
        optimizer = registry.OPTIMIZERS.get('Adam')
    assert type(transform).__module__.startswith('mmpose.datasets')
    assert type(codec).__module__.startswith('mmpose.codecs')
    assert type(metric).__module__.startswith('mmpose.evaluation')
    assert type(loss).__module__.startswith('mmpose.models')
    assert optimizer.__module__.startswith('torch.optim')
    assert registry.DATASETS.get('AicDataset').__module__.startswith(
        'mmpose.datasets')


def test_the_configs_datasets_are_mmposes_checking_their_file():
    from mmpose.datasets import CocoDataset, MpiiDataset
    ours = registry.DATASETS.get('CocoDataset')
    assert ours is not CocoDataset and issubclass(ours, CocoDataset)
    assert issubclass(registry.DATASETS.get('MpiiDataset'), MpiiDataset)
    assert registry.DATASETS.get('mmpose.CocoDataset') is CocoDataset


def test_register_all_modules_sets_the_default_scope():
    register_all_modules(init_default_scope=True)
    assert DefaultScope.get_current_instance().scope_name == 'litehrnet_mm'
    init_default_scope('mmpose')
    with pytest.warns(UserWarning, match='switches it to "litehrnet_mm"'):
        register_all_modules(init_default_scope=True)
    assert DefaultScope.get_current_instance().scope_name == 'litehrnet_mm'


def test_version():
    assert litehrnet_mm.__version__ == '.'.join(
        str(v) for v in litehrnet_mm.version_info[:3])


def test_custom_imports_from_mmposes_scope(tmp_path):
    """An mmpose-scoped config reaches our modules by their scoped names,
    importing the package through custom_imports alone."""
    config = tmp_path / 'mmpose_scoped.py'
    config.write_text(textwrap.dedent('''
        default_scope = 'mmpose'
        custom_imports = dict(imports=['litehrnet_mm'],
                              allow_failed_imports=False)
        model = dict(
            type='TopdownPoseEstimator',
            backbone=dict(
                type='litehrnet_mm.LiteHRNet',
                extra=dict(
                    stem=dict(stem_channels=32, out_channels=32,
                              expand_ratio=1),
                    num_stages=2,
                    stages_spec=dict(
                        num_modules=(1, 1), num_branches=(2, 3),
                        num_blocks=(1, 1), module_type=('LITE', 'NAIVE'),
                        with_fuse=(True, True), reduce_ratios=(8, 8),
                        num_channels=((40, 80), (40, 80, 160))),
                    with_head=True)),
            head=dict(type='litehrnet_mm.LiteHRNetHead', in_channels=40,
                      out_channels=17))
    '''))
    script = textwrap.dedent(f'''
        import sys
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        assert 'litehrnet_mm' not in sys.modules
        cfg = Config.fromfile({str(config)!r})
        assert 'litehrnet_mm' in sys.modules
        init_default_scope(cfg.default_scope)
        from mmpose.registry import MODELS
        model = MODELS.build(cfg.model)
        print(type(model).__module__, type(model.backbone).__module__,
              type(model.head).__module__)
    ''')
    out = subprocess.run([sys.executable, '-c', script], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[0].startswith('mmpose.models')
    assert out[1] == 'litehrnet_mm.models.backbones.litehrnet'
    assert out[2] == 'litehrnet_mm.models.heads.litehrnet_head'
