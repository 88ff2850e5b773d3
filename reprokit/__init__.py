"""reprokit: the library behind the paper-reproduction workflow.

One subpackage per stage, named like its rules file: ``paper``, ``code``, ``gaps``, ``implement``,
``dataset``, ``smoke``, ``replicate``; the task contract a paper brings (``task``) and the task-agnostic
training harness (``harness``); shared helpers at the top (``atomic``, ``errors``, ``text``, ``config``).
Nothing here imports Snakemake, and nothing here names a particular paper: scripts/ bind Snakemake's
objects to these functions, and each paper's models, data and knobs live in its task file.
"""

__version__ = "0.2.0"
