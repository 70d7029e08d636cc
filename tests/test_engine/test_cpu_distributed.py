"""Distributed runs on a machine without CUDA use gloo."""
import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config

from litehrnet_mm.engine import (
    CPUDistributedDataParallel,
    setup_cpu_distributed,
)

pytestmark = pytest.mark.skipif(torch.cuda.is_available(),
                                reason='tests the CPU-only path')


def _one_process_launch(monkeypatch, port):
    """The environment torch's launcher gives the one process of a run."""
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', str(port))
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')


def test_pytorch_launcher_starts_a_gloo_group(monkeypatch):
    _one_process_launch(monkeypatch, 29533)
    cfg = Config(dict(env_cfg=dict(dist_cfg=dict(backend='nccl'))))
    try:
        setup_cpu_distributed(cfg, 'pytorch')
        assert cfg.env_cfg.dist_cfg.backend == 'gloo'
        assert dist.is_initialized() and dist.get_backend() == 'gloo'
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def test_sync_batch_norm_trains_as_batch_norm_on_the_cpu(monkeypatch):
    """mmseg's configs use SyncBN, which PyTorch runs on GPUs only: on the
    CPU the wrapper turns it into BatchNorm, keeping its parameters."""
    from mmengine.model import BaseModel

    class Model(BaseModel):

        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 1)
            self.norm = torch.nn.SyncBatchNorm(4)

        def forward(self, inputs, data_samples=None, mode='tensor'):
            return self.norm(self.conv(inputs))

    model = Model()
    weight = model.norm.weight
    _one_process_launch(monkeypatch, 29534)
    setup_cpu_distributed(Config(), 'pytorch')
    try:
        wrapped = CPUDistributedDataParallel(model)
        norm = wrapped.module.norm
        assert isinstance(norm, torch.nn.modules.batchnorm._BatchNorm)
        assert not isinstance(norm, torch.nn.SyncBatchNorm)
        assert norm.weight is weight
        wrapped(torch.randn(2, 3, 4, 4)).sum().backward()
        assert weight.grad is not None
    finally:
        dist.destroy_process_group()


def test_no_launcher_changes_nothing():
    cfg = Config(dict(env_cfg=dict(dist_cfg=dict(backend='nccl'))))
    setup_cpu_distributed(cfg, 'none')
    assert cfg.env_cfg.dist_cfg.backend == 'nccl'


def test_slurm_without_cuda_is_refused_clearly():
    with pytest.raises(RuntimeError, match='use --launcher pytorch'):
        setup_cpu_distributed(Config(), 'slurm')
