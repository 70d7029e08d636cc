"""Switch a whole model to its inference form (the mmyolo convention)."""
import torch.nn as nn
from mmpose.models.pose_estimators.base import BasePoseEstimator


def switch_to_deploy(model: nn.Module) -> nn.Module:
    """Put ``model`` in eval mode and call ``switch_to_deploy()`` on every
    module that has one: batch norms fold into convolutions, the channel
    fusions' doubled branch-0 term into weights, adaptive pooling of known
    shapes becomes fixed pooling. Outputs stay those of the eval-mode model
    (to float rounding); training the result is not supported.

    Args:
        model (nn.Module): A pose model or any module holding this package's
            layers.

    Returns:
        nn.Module: ``model``, changed in place.
    """
    model.eval()
    for module in list(model.modules()):
        # mmpose's estimators walk their own modules; we walk instead
        if isinstance(module, BasePoseEstimator):
            continue
        deploy = getattr(module, 'switch_to_deploy', None)
        if callable(deploy):
            deploy()
    return model
