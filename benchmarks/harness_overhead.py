"""Benchmark: the training harness's steps per second against a bare hand-written PyTorch loop.

    python benchmarks/harness_overhead.py [--steps 2000] [--eval-every 250] [--repeats 3] [--profile]

Both sides train the bundled example's CNN (examples/mnist1d/task.py, model "cnn") on the same data
(the task's make_data({}) saved with reprokit.harness.data.save_splits), with the run config the pipeline
builds (paper.html + upstream_facts.yaml -> build_ledger -> nested_config -> RunConfig.from_values), the
same seed, the same batches (a permutation per epoch from a generator seeded with seed * 1_000_003 +
epoch, last partial batch dropped), the same optimizer, the same loss and the same evaluation points
(step 0, every eval_every steps and the last step, on the test split in batches of max(batch size, 1024)).
The harness side is reprokit.harness.train.train(..., device=...); the bare side indexes tensors by hand:
no DataLoader, no scheduler object for a constant schedule, no TensorBoard, no checkpoints, no metrics file.

Two timed parts are reported, each measured the same way on both sides:
  loop        setup excluded in both: from the moment data, model and optimizer exist (the harness's
              second log line) to the return; it includes the step-0 evaluation and every evaluation, and
              for the harness also its TensorBoard writer, its checkpoints and its metrics JSON.
  whole call  setup included in both: seeding, loading the npz, building the model and optimizer, then
              the loop (the harness also hashes the data file and task source for the run identity).
Each measurement is repeated --repeats times alternating harness / bare after one untimed warm-up of
each; the medians and the ratio of medians (harness steps/s / bare steps/s) are printed. Goals: >= 0.98
on CPU (one thread), >= 0.95 on CUDA (fp32 and bf16; skipped, with the reason, when no GPU is visible).
The script also checks that both sides computed the same numbers (eval loss, accuracy, train loss).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import cProfile
import io
import math
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reprokit.code.inventory import load_facts  # noqa: E402
from reprokit.gaps.ledger import build_ledger, nested_config  # noqa: E402
from reprokit.harness.config import RunConfig  # noqa: E402
from reprokit.harness.data import save_splits  # noqa: E402
from reprokit.harness.train import lr_factor, train  # noqa: E402
from reprokit.paper import parse_html  # noqa: E402
from reprokit.task.contract import Task, load_task  # noqa: E402

TASK = "examples/mnist1d/task.py"
MODEL = "cnn"
SEED = 0
GOALS = {"cpu": 0.98, "cuda": 0.95}


def ledger_values() -> tuple[Task, dict[str, Any]]:
    """The task and the nested run values stage 3 would write for the bundled example (no overrides)."""
    task = load_task(TASK, root=ROOT)
    paper = parse_html(ROOT / "examples" / "mnist1d" / "paper.html")
    facts = load_facts(ROOT / "examples" / "mnist1d" / "upstream_facts.yaml")
    ledger = build_ledger(paper, facts, {}, task.knobs, task.loss_name, TASK)
    return task, nested_config(ledger)


def run_config(task: Task, values: dict[str, Any], steps: int, eval_every: int, precision: str,
               checkpoint_every: int) -> RunConfig:
    values = copy.deepcopy(values)
    values["schedule"]["total_steps"] = steps
    values["schedule"].pop("epochs", None)
    values["schedule"]["eval_every"] = eval_every
    values["tricks"]["precision"] = precision
    return RunConfig.from_values(values, MODEL, SEED, applies=task.applies, threads=1,
                                 checkpoint_every=checkpoint_every)


def clocks() -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, all its threads: the TensorBoard writer's included)."""
    return time.perf_counter(), time.process_time()


def spans(started: tuple[float, float], loop: tuple[float, float], ended: tuple[float, float]) -> dict[str, float]:
    return {"whole": ended[0] - started[0], "loop": ended[0] - loop[0],
            "whole_cpu": ended[1] - started[1], "loop_cpu": ended[1] - loop[1]}


# ---- the two sides ------------------------------------------------------------------------------------
def harness_side(task: Task, cfg: RunConfig, data_path: Path, workdir: Path, device: str) -> dict[str, Any]:
    """One reprokit.harness.train.train call in a fresh run folder (no resume); the log callback only takes
    timestamps: its second line comes right after the Trainer is built (data, model, optimizer exist)."""
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=workdir))
    marks: list[tuple[float, float]] = []
    started = clocks()
    result = train(task, cfg, data_path, run_dir, run_dir / "metrics.json", resume=False,
                   log=lambda _line: marks.append(clocks()), device=device)
    ended = clocks()
    return {**spans(started, marks[1], ended), "steps": result["final_step"],
            "eval_loss": result["eval_loss"], "metric": result["metrics"][task.primary.name],
            "train_loss": result["train_loss"]}


def bare_side(task: Task, cfg: RunConfig, data_path: Path, device: str) -> dict[str, Any]:
    """The same training written by hand: tensors indexed directly, the optimizer stepped directly."""
    if cfg.grad_clip or cfg.ema_decay or cfg.label_smoothing or task.datasets or task.loss != "cross_entropy":
        raise SystemExit("the bare loop covers this example's config only (no clipping, EMA, label smoothing, "
                         "custom datasets; cross-entropy)")
    dev = torch.device(device)
    started = clocks()
    # the same global state the harness sets (seeds, deterministic algorithms), so the runs match exactly
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    torch.use_deterministic_algorithms(cfg.deterministic, warn_only=torch.cuda.is_available())
    with np.load(data_path, allow_pickle=False) as arrays:
        x_train = torch.from_numpy(arrays[f"{task.train_split}/x"]).float().to(dev)
        y_train = torch.from_numpy(arrays[f"{task.train_split}/y"]).long().to(dev)
        x_test = torch.from_numpy(arrays[f"{task.eval_split}/x"]).float().to(dev)
        y_test = torch.from_numpy(arrays[f"{task.eval_split}/y"]).long().to(dev)
    model = task.models[cfg.model](cfg.values).to(dev)
    if cfg.optimizer == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum or 0.0,
                                    nesterov=bool(cfg.nesterov), weight_decay=cfg.weight_decay)
    else:
        cls = torch.optim.AdamW if cfg.optimizer == "adamw" else torch.optim.Adam
        optimizer = cls(model.parameters(), lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay)
    criterion = nn.CrossEntropyLoss()
    amp = {"fp32": contextlib.nullcontext,
           "bf16": lambda: torch.autocast(dev.type, dtype=torch.bfloat16)}[cfg.precision]
    n, batch = len(x_train), cfg.batch_size
    per_epoch = n // batch if n >= batch else 1
    total_steps, every = cfg.total_steps, cfg.eval_every
    points = set(range(every, total_steps + 1, every)) | {total_steps} if every else {total_steps}
    scheduled = cfg.lr_schedule != "constant" or cfg.warmup_steps > 0 or cfg.warmup_epochs > 0
    factor = lr_factor(cfg, total_steps, per_epoch)
    if scheduled:
        for group in optimizer.param_groups:
            group["lr"] = cfg.lr * factor(0)
    eval_size = max(batch, 1024)
    metric = task.primary.fn
    history: dict[str, list[float]] = {"eval_loss": [], "metric": [], "train_loss": []}

    def evaluate(train_loss: float) -> None:
        model.eval()
        loss_sum = metric_sum = 0.0
        with torch.no_grad():
            for i in range(0, len(x_test), eval_size):
                xb, yb = x_test[i:i + eval_size], y_test[i:i + eval_size]
                with amp():
                    outputs = model(xb)
                    loss = criterion(outputs, yb)
                loss_sum += float(loss) * len(yb)
                metric_sum += float(metric(outputs.float(), yb).sum())
        history["eval_loss"].append(loss_sum / len(x_test))
        history["metric"].append(metric_sum / len(x_test))
        history["train_loss"].append(train_loss)
        model.train()

    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    loop_started = clocks()
    evaluate(float("nan"))
    total = torch.zeros((), device=dev)
    count = step = 0
    order = torch.arange(n, device=dev)
    while step < total_steps:
        epoch, position = divmod(step, per_epoch)
        if position == 0 and cfg.shuffle:
            generator = torch.Generator().manual_seed(cfg.seed * 1_000_003 + epoch)
            order = torch.randperm(n, generator=generator).to(dev)
        index = order[position * batch:(position + 1) * batch]
        with amp():
            loss = criterion(model(x_train[index]), y_train[index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        step += 1
        if scheduled:
            for group in optimizer.param_groups:
                group["lr"] = cfg.lr * factor(step)
        total += loss.detach()
        count += 1
        if step in points:
            train_loss = float(total) / count
            total.zero_()
            count = 0
            evaluate(train_loss)
    ended = clocks()
    return {**spans(started, loop_started, ended), "steps": step, **history}


# ---- measuring -----------------------------------------------------------------------------------------
def max_diff(a: list[float], b: list[float]) -> float:
    if len(a) != len(b):
        return math.inf
    def missing(v: float | None) -> bool:  # no training loss before the first step: None (harness) or NaN
        return v is None or math.isnan(v)

    if any(missing(x) != missing(y) for x, y in zip(a, b)):
        return math.inf
    diffs = [abs(x - y) for x, y in zip(a, b) if not missing(x)]
    return max(diffs, default=0.0)


def compare(task: Task, values: dict[str, Any], data_path: Path, workdir: Path, device: str, precision: str,
            args: argparse.Namespace) -> list[dict[str, Any]]:
    cfg = run_config(task, values, args.steps, args.eval_every, precision, args.checkpoint_every)
    warm = run_config(task, values, 2 * args.eval_every, args.eval_every, precision, args.checkpoint_every)
    harness_side(task, warm, data_path, workdir, device)  # imports (TensorBoard), allocator, CUDA context
    bare_side(task, warm, data_path, device)
    runs: dict[str, list[dict[str, Any]]] = {"harness": [], "bare": []}
    for _ in range(args.repeats):
        runs["harness"].append(harness_side(task, cfg, data_path, workdir, device))
        runs["bare"].append(bare_side(task, cfg, data_path, device))
        h, b = runs["harness"][-1], runs["bare"][-1]
        print(f"  {device} {precision}: steps/s (wall; per CPU second) loop: harness {h['steps'] / h['loop']:6.1f} "
              f"({h['steps'] / h['loop_cpu']:6.1f}), bare {b['steps'] / b['loop']:6.1f} ({b['steps'] / b['loop_cpu']:6.1f}); "
              f"whole: harness {h['steps'] / h['whole']:6.1f}, bare {b['steps'] / b['whole']:6.1f}", flush=True)
    h, b = runs["harness"][0], runs["bare"][0]
    diffs = {k: max_diff(h[k], b[k]) for k in ("eval_loss", "metric", "train_loss")}
    print(f"  same numbers? max |harness - bare|: eval loss {diffs['eval_loss']:.3g}, {task.primary.name} "
          f"{diffs['metric']:.3g}, train loss {diffs['train_loss']:.3g} over {len(h['eval_loss'])} evaluations; "
          f"final {task.primary.name} {h['metric'][-1]:.2f} vs {b['metric'][-1]:.2f}")
    rows = []
    for part in ("loop", "whole"):
        rate = {side: statistics.median(r["steps"] / r[part] for r in runs[side]) for side in runs}
        cpu = {side: statistics.median(r["steps"] / r[f"{part}_cpu"] for r in runs[side]) for side in runs}
        rows.append({"device": device, "precision": precision, "part": part, "harness": rate["harness"],
                     "bare": rate["bare"], "ratio": rate["harness"] / rate["bare"],
                     "cpu_ratio": cpu["harness"] / cpu["bare"], "goal": GOALS[device]})
    return rows


def profile(task: Task, values: dict[str, Any], data_path: Path, workdir: Path, args: argparse.Namespace) -> None:
    """cProfile of one harness run and one bare run on CPU (functions by own time, then by cumulative time)."""
    cfg = run_config(task, values, args.steps, args.eval_every, "fp32", args.checkpoint_every)
    for side, call in (("harness", lambda: harness_side(task, cfg, data_path, workdir, "cpu")),
                       ("bare", lambda: bare_side(task, cfg, data_path, "cpu"))):
        profiler = cProfile.Profile()
        profiler.enable()
        call()
        profiler.disable()
        for key in ("tottime", "cumtime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.profile_lines)
            lines = [line for line in out.getvalue().splitlines() if line.strip()]
            start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
            print(f"\n==== cProfile of the {side} run ({args.steps} steps), sorted by {key} ====")
            print("\n".join(lines[start:]))


def gpu_skip_reason() -> str | None:
    if torch.cuda.is_available():
        return None
    if torch.version.cuda is None:
        return f"this torch ({torch.__version__}) is a CPU-only build"
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    return f"torch.cuda.is_available() is False (no CUDA device visible; CUDA_VISIBLE_DEVICES={visible!r})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="training steps per run (default 2000)")
    parser.add_argument("--eval-every", type=int, default=250, help="steps between evaluations (default 250)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each side per setting (default 3)")
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    parser.add_argument("--checkpoint-every", type=int, default=int(config.get("checkpoint_every", 1000)),
                        help="the harness's checkpoint interval (default: the shipped config's)")
    parser.add_argument("--no-gpu", action="store_true", help="skip the CUDA part")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one CPU run of each side")
    parser.add_argument("--profile-lines", type=int, default=30)
    args = parser.parse_args()
    if args.eval_every < 1 or args.steps < args.eval_every:
        parser.error("need 1 <= --eval-every <= --steps")
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # what the harness sets, before any CUDA work
    torch.set_num_threads(1)
    load_before = os.getloadavg()[0]
    task, values = ledger_values()
    print(f"model {MODEL} of {TASK}; torch {torch.__version__}; {torch.get_num_threads()} CPU thread; "
          f"{args.steps} steps, eval every {args.eval_every} (+ step 0), batch {values['batch']['batch_size']}, "
          f"{values['optimizer']['name']} lr {values['optimizer']['lr']}, schedule {values['schedule']['lr_schedule']}; "
          f"harness checkpoint every {args.checkpoint_every} steps (+ the last); {args.repeats} repeats, medians")
    with tempfile.TemporaryDirectory(prefix="reprokit-overhead-") as tmp:
        workdir = Path(tmp)
        data_path = workdir / "dataset.npz"
        save_splits(data_path, task.make_data({}))
        rows = compare(task, values, data_path, workdir, "cpu", "fp32", args)
        skip = "--no-gpu given" if args.no_gpu else gpu_skip_reason()
        gpu = ""
        if skip:
            print(f"GPU part skipped: {skip}.")
        else:
            gpu = f"{torch.cuda.get_device_name(0)} (torch {torch.__version__}, CUDA {torch.version.cuda})"
            print(f"GPU: {gpu}")
            rows += compare(task, values, data_path, workdir, "cuda", "fp32", args)
            if torch.cuda.is_bf16_supported():
                rows += compare(task, values, data_path, workdir, "cuda", "bf16", args)
            else:
                print("GPU bf16 skipped: torch.cuda.is_bf16_supported() is False on this device.")
        if args.profile:
            profile(task, values, data_path, workdir, args)
    print()
    print("timed part: loop = setup excluded in both (from data+model+optimizer ready to return; includes all "
          "evaluations, and the harness's TensorBoard writer, checkpoints and metrics JSON);")
    print("            whole = setup included in both (seeding, npz load, model and optimizer build; the harness "
          "also hashes data and task for the run identity)")
    print("steps/s are wall-clock medians; ratio = median harness steps/s / median bare steps/s (the verdict); "
          "cpu ratio = the same from process CPU time, less sensitive to other load on the machine")
    header = f"{'device':<7} {'precision':<9} {'timed part':<10} {'harness steps/s':>15} {'bare steps/s':>12} " \
             f"{'ratio':>6} {'goal':>6}  {'result':<6} {'cpu ratio':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        verdict = "PASS" if r["ratio"] >= r["goal"] else "FAIL"
        print(f"{r['device']:<7} {r['precision']:<9} {r['part']:<10} {r['harness']:>15.1f} {r['bare']:>12.1f} "
              f"{r['ratio']:>6.3f} {'>=' + format(r['goal'], '.2f'):>6}  {verdict:<6} {r['cpu_ratio']:>9.3f}")
    if skip:
        print(f"cuda    fp32/bf16 skipped: {skip}")
    else:
        print(f"cuda = {gpu}")
    print(f"cpu = {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs visible, torch threads 1")
    load = max(load_before, os.getloadavg()[0])
    if load > 1.5:
        print(f"note: load average {load:.1f} on {os.cpu_count()} CPUs during the run; other processes share the "
              "cores, so the wall-clock figures are noisy (compare the cpu ratio, or rerun on an idle machine)")


if __name__ == "__main__":
    main()
