"""Set up the registries and the default scope, as mmpose does."""
import datetime
import warnings

from mmengine import DefaultScope

from litehrnet_mm.registry import SCOPE


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register this package's modules, and mmpose's, in the registries.

    Args:
        init_default_scope (bool): Whether to make ``'litehrnet_mm'`` the
            default scope, so that plain type names resolve in this package
            first, then in mmpose and mmengine. Defaults to True.
    """
    import mmpose.utils

    mmpose.utils.register_all_modules(init_default_scope=False)
    import litehrnet_mm.models  # noqa: F401

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None or not DefaultScope.check_instance_created(SCOPE):
        DefaultScope.get_instance(SCOPE, scope_name=SCOPE)
        return
    if current.scope_name != SCOPE:
        warnings.warn(
            f'The current default scope "{current.scope_name}" is not '
            f'"{SCOPE}"; `register_all_modules` switches it to "{SCOPE}". '
            'Pass `init_default_scope=False` to keep it.',
            stacklevel=2)
        DefaultScope.get_instance(
            f'{SCOPE}-{datetime.datetime.now()}', scope_name=SCOPE)
