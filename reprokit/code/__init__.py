"""Stage 2, existing code: discover the official repository (``discover``), bring it in without executing it
(``source``) and inventory it by static analysis (``inventory``)."""
