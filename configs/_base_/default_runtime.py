# mmpose's runtime (hooks, logging, visualizer, environment), with module
# names resolved in the litehrnet_mm scope first, then in mmpose's.
_base_ = ['mmpose::_base_/default_runtime.py']

default_scope = 'litehrnet_mm'

custom_hooks = [
    # mmpose's: synchronize batch-norm buffers at the end of each epoch
    dict(type='SyncBuffersHook'),
    # ours: stop on a load_from/--resume checkpoint that does not fit the
    # model; `load_strict = False` loads what fits, listing what it skips
    dict(type='CheckpointCompatibilityHook'),
]
