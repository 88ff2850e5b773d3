"""Stage 7, replication: the run plan and the comparison with the paper in the metric's own terms."""
