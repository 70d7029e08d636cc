"""Switch a whole model to its inference form (the mmyolo convention)."""
import torch.nn as nn
from mmpose.models.pose_estimators.base import BasePoseEstimator

from litehrnet_mm.models.utils import fold_batch_norms


def switch_to_deploy(model: nn.Module) -> nn.Module:
    """The inference form of ``model``, with the outputs of its eval mode
    (to float rounding).

    ``model`` is put in eval mode, every conv → batch norm pair in it is
    folded into one conv (:func:`litehrnet_mm.models.utils.fold_batch_norms`),
    then every module's own ``switch_to_deploy()`` changes what is special to
    it: the fusions put their doubled branch-0 term into the weights, H pools
    with fixed windows. Training the result is not supported; a second call
    changes nothing.

    Args:
        model (nn.Module): A pose model, a segmentor, or any module holding
            this package's layers.

    Returns:
        nn.Module: ``model`` changed in place (or its replacement, when
        ``model`` itself is a ``ConvModule`` or an ``nn.Sequential``).
    """
    model = fold_batch_norms(model.eval())
    for module in list(model.modules()):
        # mmpose's estimators walk their own modules; we walk instead
        if isinstance(module, BasePoseEstimator):
            continue
        deploy = getattr(module, 'switch_to_deploy', None)
        if callable(deploy):
            deploy()
    return model
