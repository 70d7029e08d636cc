"""Registries of the ``litehrnet_mm`` scope.

Every node is a child of mmpose's node of the same name, so a config whose
``default_scope`` is ``'litehrnet_mm'`` finds this package's modules first
and falls back to mmpose's (datasets, transforms, codecs, metrics, ...), then
to mmengine's. From mmpose's own scope, this package's modules are reached as
``type='litehrnet_mm.<Name>'``; nothing registered here replaces or shadows a
module of mmpose's scope (mmpose's own ``LiteHRNet`` stays mmpose's).

``locations`` lists the modules to import when a registry is first used, so
building a config imports what it needs without an explicit import.
"""
from mmengine.registry import Registry
from mmpose import registry as mmpose_registry

SCOPE = 'litehrnet_mm'


def _child(parent: Registry, locations: list = ()) -> Registry:
    """Make the ``litehrnet_mm`` child of one of mmpose's registries."""
    return Registry(
        parent.name, parent=parent, scope=SCOPE, locations=list(locations))


# runners, their constructors and loops: mmengine's, through mmpose
RUNNERS = _child(mmpose_registry.RUNNERS)
RUNNER_CONSTRUCTORS = _child(mmpose_registry.RUNNER_CONSTRUCTORS)
LOOPS = _child(mmpose_registry.LOOPS)
# hooks: checkpoint checks and safe writes, the sampler seed on resume, the
# non-finite loss stop; mmpose's visualization, mmengine's others
HOOKS = _child(mmpose_registry.HOOKS, ['litehrnet_mm.engine'])

# data: mmpose's datasets (those the configs use checking their annotation
# file first) and transforms; the sampler and first transform
# that make augmentations a function of (seed, epoch, sample)
DATASETS = _child(mmpose_registry.DATASETS, ['litehrnet_mm.datasets'])
DATA_SAMPLERS = _child(mmpose_registry.DATA_SAMPLERS,
                       ['litehrnet_mm.datasets'])
TRANSFORMS = _child(mmpose_registry.TRANSFORMS, ['litehrnet_mm.datasets'])

# models: this package's backbone, CCW layers and heads
MODELS = _child(mmpose_registry.MODELS, ['litehrnet_mm.models'])
MODEL_WRAPPERS = _child(mmpose_registry.MODEL_WRAPPERS,
                        ['litehrnet_mm.engine'])
WEIGHT_INITIALIZERS = _child(mmpose_registry.WEIGHT_INITIALIZERS)

# optimization
OPTIMIZERS = _child(mmpose_registry.OPTIMIZERS)
OPTIM_WRAPPERS = _child(mmpose_registry.OPTIM_WRAPPERS)
OPTIM_WRAPPER_CONSTRUCTORS = _child(
    mmpose_registry.OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = _child(mmpose_registry.PARAM_SCHEDULERS)

# evaluation: mmpose's COCO, MPII and PCK metrics
METRICS = _child(mmpose_registry.METRICS)
EVALUATORS = _child(mmpose_registry.EVALUATORS)

# heatmap codecs (mmpose's node has no parent: it is the root of its kind)
KEYPOINT_CODECS = _child(mmpose_registry.KEYPOINT_CODECS)
TASK_UTILS = _child(mmpose_registry.TASK_UTILS)

# visualization and inference
VISUALIZERS = _child(mmpose_registry.VISUALIZERS)
VISBACKENDS = _child(mmpose_registry.VISBACKENDS)
LOG_PROCESSORS = _child(mmpose_registry.LOG_PROCESSORS)
INFERENCERS = _child(mmpose_registry.INFERENCERS)
