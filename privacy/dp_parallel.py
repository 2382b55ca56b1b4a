"""DP-SGD data-parallel inside one client: several processes (GPUs), one mechanism.

The trap of DP across GPUs is that each rank must not become a mechanism of its own. Here the
ranks of one client together run exactly the single-process Sampled Gaussian Mechanism:

- **Sampling.** Every rank draws the same Poisson mask over all of the client's records, from a
  generator seeded with one secret seed that rank 0 draws and broadcasts (the client's own ranks
  share it; nobody outside the client sees it), and keeps its share of the sampled examples
  (`ShardedPoissonSampler`). The union over ranks is the single-process Poisson batch.
- **Clipping.** Each rank clips its own examples' gradients (per-example, over all LoRA tensors)
  and sums them locally.
- **One all-reduce, noise once.** Rank 0 adds the Gaussian noise σ·C to its local sum, then one
  all-reduce (SUM) of the flat vector gives Σ clipped + noise on every rank
  (`DistributedFlatDPOptimizer`); the division by the expected batch size is the global one, so
  every rank takes the same optimizer step and the replicas stay equal.
- **Accounting.** One mechanism per logical batch: the ledger is written by rank 0 only, with the
  same (σ, q, steps) as a single process would write.

With world size 1 every piece reduces to the single-process path. Works with NCCL (GPUs) and gloo
(CPU, used by the tests). Imports neither flwr nor presidio.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import torch
import torch.distributed as dist
from opacus.data_loader import dtype_safe, shape_safe, wrap_collate_with_empty
from opacus.optimizers.optimizer import _generate_noise
from opacus.utils.uniform_sampler import UniformWithReplacementSampler

from .flat_dp import FlatDPOptimizer


@dataclass(frozen=True)
class DataParallel:
    """This process's place among the client's ranks (an initialised torch.distributed group)."""

    rank: int
    world_size: int
    group: object = None  # None = the default process group

    @classmethod
    def current(cls, group=None) -> "DataParallel | None":
        """The running process group, or None when torch.distributed is not initialised."""
        if not (dist.is_available() and dist.is_initialized()):
            return None
        return cls(dist.get_rank(group), dist.get_world_size(group), group)

    @property
    def writes_ledger(self) -> bool:
        return self.rank == 0

    def shared_secret_seed(self, device: torch.device | str = "cpu") -> int:
        """A seed drawn by rank 0 with a CSPRNG and broadcast: equal on every rank, secret outside the client."""
        seed = torch.tensor([secrets.randbits(62) if self.rank == 0 else 0], dtype=torch.int64, device=device)
        dist.broadcast(seed, src=0, group=self.group)
        return int(seed.item())


class ShardedPoissonSampler(UniformWithReplacementSampler):
    """Opacus' Poisson sampler over all records, each rank keeping every world_size-th sampled index.

    All ranks must pass generators in the same state (a shared seed); then the ranks' batches
    partition exactly the batch that Opacus' sampler draws in one process from that generator.
    """

    def __init__(self, *, num_samples: int, sample_rate: float, rank: int, world_size: int,
                 generator: torch.Generator, steps: int | None = None):
        super().__init__(num_samples=num_samples, sample_rate=sample_rate, generator=generator, steps=steps)
        if not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} is not in a world of {world_size}")
        self.rank, self.world_size = rank, world_size

    def __iter__(self):
        for indices in super().__iter__():
            yield indices[self.rank::self.world_size]


def sharded_poisson_loader(dataset, sample_rate: float, collate_fn, generator: torch.Generator,
                           parallel: DataParallel):
    """Opacus' DPDataLoader with this rank's share of each batch (same collate, same generator use)."""
    sampler = ShardedPoissonSampler(num_samples=len(dataset), sample_rate=sample_rate, rank=parallel.rank,
                                    world_size=parallel.world_size, generator=generator)
    collate = wrap_collate_with_empty(collate_fn=collate_fn, batch_first=True, rand_on_empty=False,
                                      sample_empty_shapes=[(0, *shape_safe(x)) for x in dataset[0]],
                                      dtypes=[dtype_safe(x) for x in dataset[0]])
    # The DataLoader draws its base seed from `generator` at each new iterator, as DPDataLoader's does:
    # the Poisson masks then come from the same positions of the stream as in one process.
    return torch.utils.data.DataLoader(dataset, batch_sampler=sampler, collate_fn=collate, generator=generator)


class DistributedFlatDPOptimizer(FlatDPOptimizer):
    """FlatDPOptimizer whose noised step is the sum over all ranks: one all-reduce, noise from rank 0.

    `expected_batch_size` is the client's global expected batch (q · N), as in one process.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, *, parallel: DataParallel, **kwargs):
        super().__init__(optimizer, **kwargs)
        self.parallel = parallel

    def add_noise(self):
        if self._summed is None or self._summed_used:
            raise ValueError("Gradients haven't been cleared since the last optimizer step. "
                             "In order to obtain privacy guarantees you must call optimizer.zero_grad()on each step")
        if self.parallel.rank == 0:
            noise = _generate_noise(std=self.noise_multiplier * self.max_grad_norm, reference=self._summed,
                                    generator=self.generator, secure_mode=self.secure_mode)
            torch.add(self._summed, noise, out=self._grad_flat)
        else:
            self._grad_flat.copy_(self._summed)
        dist.all_reduce(self._grad_flat, op=dist.ReduceOp.SUM, group=self.parallel.group)
        for p, view in zip(self.params, self._grad_views):
            if p.grad is not view:
                p.grad = view
        self._summed_used = True
