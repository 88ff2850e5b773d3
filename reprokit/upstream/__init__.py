"""Stage 4's upstream route: run the official code itself with the ledger's values (``launch``: how it is
started and how each value reaches it)."""
