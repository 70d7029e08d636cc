# mmpose's runtime (hooks, logging, visualizer, environment), with module
# names resolved in the litehrnet_mm scope first, then in mmpose's.
_base_ = ['mmpose::_base_/default_runtime.py']

default_scope = 'litehrnet_mm'
# Reading a config imports the package (its modules and its checkpoint
# loading), and this package's modules are named with their scope
# (`litehrnet_mm.LiteHRNet`): the configs build the same model in any
# default scope, mmpose's included (MMPoseInferencer's default).
custom_imports = dict(imports=['litehrnet_mm'], allow_failed_imports=False)

default_hooks = dict(
    # ours: mmengine's CheckpointHook, made safe to kill: files appear only
    # when complete, and are removed only after their successor is
    checkpoint=dict(type='litehrnet_mm.AtomicCheckpointHook'),
    # ours: mmengine's DistSamplerSeedHook, plus the seed a resumed run
    # restores handed on to the sampler
    sampler_seed=dict(type='litehrnet_mm.SamplerSeedHook'))

custom_hooks = [
    # mmpose's: synchronize batch-norm buffers at the end of each epoch
    dict(type='SyncBuffersHook'),
    # ours: stop on a load_from/--resume checkpoint that does not fit the
    # model; `load_strict = False` loads what fits, listing what it skips
    dict(type='litehrnet_mm.CheckpointCompatibilityHook'),
    # ours: stop at the first NaN/inf loss term, before it is saved
    dict(type='litehrnet_mm.NonFiniteLossHook'),
]
