"""Rule train_run: code/train.py for one model and seed (torchrun when a run spans GPUs), every attempt logged."""
import os
import sys

from reprokit.cluster.attempts import run_logged

p = snakemake.params
# this interpreter (the job's environment); torchrun (DDP) when a run spans several GPUs
launcher = [sys.executable] + (["-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(p.gpus)]
                               if int(p.gpus) > 1 else [])
command = [*launcher, f"{p.code}/train.py", "--config", p.config, "--model", p.model,
           "--seed", str(p.seed), "--data", snakemake.input.data, "--run-dir", p.run_dir,
           "--metrics", snakemake.output.metrics, "--threads", str(snakemake.threads), "--cpu-kernels", p.cpu_kernels,
           "--checkpoint-every", str(p.checkpoint_every)]
status = run_logged(command, snakemake.log[0], p.history, dict(os.environ))  # reprokit: installed in this environment
if status != 0:
    sys.exit(f"error: training run {snakemake.wildcards.run} exited with status {status}; its output is in "
             f"{snakemake.log[0]} (every attempt in {p.history}).")
