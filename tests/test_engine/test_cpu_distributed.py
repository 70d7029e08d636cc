"""Distributed runs on a machine without CUDA use gloo."""
import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config

from litehrnet_mm.engine import setup_cpu_distributed

pytestmark = pytest.mark.skipif(torch.cuda.is_available(),
                                reason='tests the CPU-only path')


def test_pytorch_launcher_starts_a_gloo_group(monkeypatch):
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', '29533')
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')
    cfg = Config(dict(env_cfg=dict(dist_cfg=dict(backend='nccl'))))
    try:
        setup_cpu_distributed(cfg, 'pytorch')
        assert cfg.env_cfg.dist_cfg.backend == 'gloo'
        assert dist.is_initialized() and dist.get_backend() == 'gloo'
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def test_no_launcher_changes_nothing():
    cfg = Config(dict(env_cfg=dict(dist_cfg=dict(backend='nccl'))))
    setup_cpu_distributed(cfg, 'none')
    assert cfg.env_cfg.dist_cfg.backend == 'nccl'


def test_slurm_without_cuda_is_refused_clearly():
    with pytest.raises(RuntimeError, match='use --launcher pytorch'):
        setup_cpu_distributed(Config(), 'slurm')
