"""Stage 6, the smoke ladder: three tiers run through the program that trains, a gate before training."""
