"""Activation checkpointing for blocks with ``with_cp``."""
import torch
import torch.utils.checkpoint as cp


def run_maybe_checkpointed(function, with_cp: bool, *tensors: torch.Tensor):
    """Call ``function(*tensors)``, through activation checkpointing when
    ``with_cp`` is set and autograd is recording.

    Non-reentrant checkpointing gives the parameters their gradients even
    when no input requires one (the first block after the image).

    Args:
        function (callable): The computation, taking the tensors.
        with_cp (bool): Whether to recompute activations in the backward
            pass instead of storing them.
        *tensors (Tensor): The inputs.

    Returns:
        The result of ``function``.
    """
    if with_cp and torch.is_grad_enabled():
        return cp.checkpoint(function, *tensors, use_reentrant=False)
    return function(*tensors)
