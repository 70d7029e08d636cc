"""The training sampler's seed follows the runner's, also after a resume."""
from mmengine.dist import broadcast_object_list, get_world_size
from mmengine.hooks import DistSamplerSeedHook

from litehrnet_mm.registry import HOOKS


@HOOKS.register_module()
class SamplerSeedHook(DistSamplerSeedHook):
    """mmengine's ``DistSamplerSeedHook`` (the sampler learns each epoch),
    plus the seed that a resumed run restores.

    The runner builds the training dataloader before it resumes, so the
    sampler gets the seed of the new process: with no seed in the config,
    a random one, and the resumed run shuffles (and, with
    ``AugmentationSeedSampler``, augments) otherwise than the run it
    continues. mmengine restores the checkpoint's seed into the runner; here
    it is handed on to the sampler before the first epoch. Rank 0's seed is
    used by every rank, since the ranks must split one common shuffle.
    """

    def before_train(self, runner) -> None:
        """Give the sampler the runner's (possibly restored) seed."""
        sampler = _train_sampler(runner)
        if sampler is None or not hasattr(sampler, 'seed'):
            return
        seed = [runner.seed]
        if get_world_size() > 1:
            broadcast_object_list(seed, src=0)
        sampler.seed = seed[0]


def _train_sampler(runner):
    loader = runner.train_loop.dataloader
    sampler = getattr(loader, 'sampler', None)
    if sampler is not None and hasattr(sampler, 'set_epoch'):
        return sampler
    batch_sampler = getattr(loader, 'batch_sampler', None)
    return getattr(batch_sampler, 'sampler', None)
