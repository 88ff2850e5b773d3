"""Cluster-facing helpers: the SLURM profile, one writer per run folder, per-attempt logs, this project's jobs."""
