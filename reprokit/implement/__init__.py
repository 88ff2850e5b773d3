"""Stage 4, implementation: ``code/`` as a git repository, config first, one commit per filled gap (``repo``)."""
