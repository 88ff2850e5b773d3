"""reprokit: the library behind the paper-reproduction workflow.

One module per stage (paper, inventory, ledger, implement, dataset, smoke, replicate) plus the
training harness. Nothing here imports Snakemake: scripts/ bind Snakemake's objects to these functions.
"""

__version__ = "0.1.0"
