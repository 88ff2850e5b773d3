"""Stage 5, dataset: Hugging Face first, else the task's generator; counts checked, substitution recorded."""
