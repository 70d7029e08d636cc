# mmpose's runtime (hooks, logging, visualizer, environment), with module
# names resolved in the litehrnet_mm scope first, then in mmpose's.
_base_ = ['mmpose::_base_/default_runtime.py']

default_scope = 'litehrnet_mm'
