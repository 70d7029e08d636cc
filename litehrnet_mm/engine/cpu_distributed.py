"""Distributed training on machines without a CUDA device."""
import datetime
import logging

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.model import MMDistributedDataParallel, revert_sync_batchnorm
from torch import nn

from litehrnet_mm.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """mmengine's DDP wrapper for models on the CPU.

    mmengine's runner passes ``device_ids=[LOCAL_RANK]``, which PyTorch
    refuses for a module whose parameters are on the CPU; here it is
    dropped for such modules. PyTorch's ``SyncBatchNorm`` runs on GPUs
    only (mmseg's configs use it), so a CPU module's are turned into
    ``BatchNorm`` layers, with the same parameters, that normalize each
    process's own batch; a warning says so.

    Args:
        module (nn.Module): The model.
        device_ids (list[int], optional): Ignored for CPU modules.
        **kwargs: The other arguments of ``MMDistributedDataParallel``.
    """

    def __init__(self, module, device_ids=None, **kwargs):
        if next(module.parameters()).device.type == 'cpu':
            device_ids = None
            if any(isinstance(m, nn.SyncBatchNorm)
                   for m in module.modules()):
                print_log(
                    'SyncBatchNorm needs CUDA devices: on the CPU its '
                    'layers are turned into BatchNorm layers, each process '
                    'normalizing its own batch.', logger='current',
                    level=logging.WARNING)
                module = revert_sync_batchnorm(module)
        super().__init__(module=module, device_ids=device_ids, **kwargs)


def setup_cpu_distributed(cfg: Config, launcher: str) -> None:
    """Prepare a run's process group when there is no CUDA device.

    With CUDA present nothing changes: mmengine's runner starts the process
    group from ``cfg.env_cfg.dist_cfg`` as usual. Without it, the backend is
    set to ``gloo`` (NCCL needs GPUs), the model is wrapped by
    :class:`CPUDistributedDataParallel`, and for the ``pytorch`` launcher the
    group is started here from the launcher's environment variables, before
    the runner's ``init_dist``, which would call ``torch.cuda.set_device``.

    Args:
        cfg (Config): The run's config; its ``env_cfg.dist_cfg.backend`` is
            set to ``'gloo'`` on a machine without CUDA.
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.

    Raises:
        RuntimeError: For ``'slurm'`` or ``'mpi'`` without a CUDA device,
            which mmengine can only start on GPUs.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return
    if cfg.get('env_cfg') is None:
        cfg.env_cfg = dict()
    if cfg.env_cfg.get('dist_cfg') is None:
        cfg.env_cfg.dist_cfg = dict()
    cfg.env_cfg.dist_cfg.backend = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    # mmengine's runner looks the wrapper up with Registry.get, which does not
    # reach a grandchild scope such as ours: name it by its import path
    wrapper['type'] = 'litehrnet_mm.engine.CPUDistributedDataParallel'
    cfg.model_wrapper_cfg = wrapper
    if launcher != 'pytorch':
        raise RuntimeError(
            f'--launcher {launcher} needs CUDA devices; on a CPU-only '
            'machine use --launcher pytorch (torchrun, tools/dist_train.sh '
            'or `mim train ... --launcher pytorch`), which runs on gloo.')
    if not torch_dist.is_initialized():
        timeout = cfg.env_cfg.dist_cfg.get('timeout', 1800)
        torch_dist.init_process_group(
            backend='gloo', timeout=datetime.timedelta(seconds=timeout))
