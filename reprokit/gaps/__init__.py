"""Stage 3, gap analysis: the core knobs every training run has (``knobs``), every value the paper states
(``statements``) and the ledger that gives each value one provenance tag (``ledger``)."""
