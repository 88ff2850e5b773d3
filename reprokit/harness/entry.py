"""The command line of ``code/train.py``: train one run, or run one smoke tier through the same program.

    python train.py --config configs/repro-default.yaml --model <name> --seed 0 --data ../data/dataset.npz \
        --run-dir ../runs/<name>-seed0 [--smoke-tier 1|2|3 --smoke-record tier.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from reprokit import atomic
from reprokit.cluster.runlock import exclusive
from reprokit.errors import UserError
from reprokit.harness import cpu_kernels
from reprokit.harness.config import RunConfig, load_config
from reprokit.task.contract import load_task


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Train one model of the reproduction from its ledger config.")
    parser.add_argument("--config", required=True, help="configs/repro-default.yaml (written from the ledger)")
    parser.add_argument("--model", required=True, help="a model of the task's MODELS")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", required=True, help="the .npz written by the dataset stage")
    parser.add_argument("--run-dir", required=True, help="checkpoints and TensorBoard events go here")
    parser.add_argument("--metrics", help="metrics JSON (default: <run-dir>/metrics.json)")
    parser.add_argument("--task", help="the task file (default: task.py beside train.py)")
    parser.add_argument("--no-resume", action="store_true", help="ignore an existing checkpoint")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--device", choices=("auto", "cuda", "cpu"), default="auto",
                        help="auto: the GPU SLURM gave this job if any, else the CPU")
    parser.add_argument("--cpu-kernels", choices=cpu_kernels.KINDS, default="portable",
                        help="portable: AVX2 kernels, the same numbers on any x86-64 CPU; native: the fastest the CPU has")
    parser.add_argument("--checkpoint-every", type=int, default=1000, help="steps between checkpoints")
    parser.add_argument("--smoke-tier", type=int, choices=(1, 2, 3), help="run this smoke tier instead of training")
    parser.add_argument("--smoke-record", help="where the smoke tier writes its checks (JSON)")
    parser.add_argument("--smoke-settings", default="{}", help="the smoke ladder's thresholds (JSON)")
    return parser


def run(args: argparse.Namespace, default_task: str | None) -> None:
    task = load_task(args.task or default_task or "")
    settings = {**json.loads(args.smoke_settings), **task.smoke} if args.smoke_tier else {}  # the task's own win
    cfg = RunConfig.from_values(load_config(args.config), args.model, int(settings.get("seed", args.seed)),
                                applies=task.applies, threads=args.threads, checkpoint_every=args.checkpoint_every)
    if args.smoke_tier:
        from reprokit.harness.train import Trainer, setup_distributed
        from reprokit.smoke.checks import TIER_CHECKS, TIERS

        trainer = Trainer(task, cfg, args.data, setup_distributed(args.device))
        checks = TIER_CHECKS[args.smoke_tier](trainer, settings)
        for check in checks:
            print(f"[{'pass' if check['ok'] else 'FAIL'}] {args.model}: {check['check']}: {check['detail']}", flush=True)
        record = {"tier": args.smoke_tier, "name": TIERS[args.smoke_tier], "model": args.model,
                  "device": str(trainer.dist.device), "checks": checks}
        atomic.write_json(args.smoke_record or str(Path(args.run_dir) / f"smoke-tier{args.smoke_tier}.json"), record)
        return
    from reprokit.harness.train import train

    metrics = args.metrics or str(Path(args.run_dir) / "metrics.json")
    # one writer per run: rank 0 holds the run folder (other torchrun ranks write nothing there)
    lock = exclusive(args.run_dir) if int(os.environ.get("RANK", "0")) == 0 else contextlib.nullcontext()
    with lock:
        train(task, cfg, args.data, args.run_dir, metrics, resume=not args.no_resume,
              log=lambda line: print(line, flush=True), device=args.device)


def main(argv: list[str] | None = None, task: str | None = None) -> None:
    args = build_parser().parse_args(argv)
    cpu_kernels.use(args.cpu_kernels)  # before the first tensor operation: the libraries read it then
    try:
        run(args, task)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
