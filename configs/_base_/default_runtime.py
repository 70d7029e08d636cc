# mmpose's runtime (hooks, logging, visualizer, environment), with module
# names resolved in the litehrnet_mm scope first, then in mmpose's.
_base_ = ['mmpose::_base_/default_runtime.py']

default_scope = 'litehrnet_mm'

# (`_scope_`: entries inherited from mmpose's runtime are built in mmpose's
# scope unless told otherwise)
default_hooks = dict(
    # ours: mmengine's CheckpointHook, made safe to kill: files appear only
    # when complete, and are removed only after their successor is
    checkpoint=dict(type='AtomicCheckpointHook', _scope_='litehrnet_mm'),
    # ours: mmengine's DistSamplerSeedHook, plus the seed a resumed run
    # restores handed on to the sampler
    sampler_seed=dict(type='SamplerSeedHook', _scope_='litehrnet_mm'))

custom_hooks = [
    # mmpose's: synchronize batch-norm buffers at the end of each epoch
    dict(type='SyncBuffersHook'),
    # ours: stop on a load_from/--resume checkpoint that does not fit the
    # model; `load_strict = False` loads what fits, listing what it skips
    dict(type='CheckpointCompatibilityHook'),
    # ours: stop at the first NaN/inf loss term, before it is saved
    dict(type='NonFiniteLossHook'),
]
