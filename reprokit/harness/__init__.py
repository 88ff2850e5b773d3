"""The task-agnostic training harness: run config (``config``), data and batching (``data``), the trainer
and its checkpoints (``train``), and the command line of ``code/train.py`` (``entry``)."""
