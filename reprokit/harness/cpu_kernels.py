"""Which CPU kernels a run computes with, so that a seed gives the same numbers on any x86-64 machine.

PyTorch picks its CPU kernels by what the processor offers: AVX-512 where it has it, AVX2 otherwise (ATen's own
kernels, oneDNN's convolutions, MKL's matrix products). The two sets round differently, and a run that is
sensitive to its last bits (a late loss spike, a long chaotic training) then ends differently on two machines with the same
seed. ``portable`` (the default) caps all three at AVX2, which every x86-64 CPU of the last decade has, so the
numbers are those of any AVX2 machine; ``native`` uses the fastest kernels the CPU has.

Still changing the numbers (README, "Same seed, same numbers"): the thread count (a reduction split over threads
adds in another order), the torch version, a CPU that is not x86-64 (ARM) or lacks AVX2, MKL's matrix products on
Intel and AMD processors (MKL keeps its AVX2 results equal only across Intel CPUs), and GPUs.

The caps are environment variables each library reads when it first computes, not when it is imported: set them
before the run's first tensor operation (``use`` in the harness's command line does).
"""

from __future__ import annotations

import os

KINDS = ("portable", "native")
PORTABLE = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_CBWR": "AVX2"}


def use(kind: str) -> dict[str, str]:
    """Select the CPU kernels of this process (before its first tensor operation); returns what was set. A
    variable the user set already wins."""
    if kind not in KINDS:
        raise ValueError(f"cpu_kernels must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == "native":
        return {}
    chosen = {}
    for name, value in PORTABLE.items():
        chosen[name] = os.environ.setdefault(name, value)
    return chosen


def in_use() -> str:
    """The kernel set ATen dispatches to in this process ("AVX2", "AVX512", "DEFAULT", ...)."""
    import torch

    return torch.backends.cpu.get_cpu_capability()
