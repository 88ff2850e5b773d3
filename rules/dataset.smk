# Stage 5: dataset: Hugging Face first, else the task's generator, check counts against the paper, record any substitution.


# A checkpoint: the smoke ladder and the runs rerun only when dataset.json (with the data's sha256) changed.
checkpoint prepare_dataset:
    input:
        paper="repro/{paper}/paper.json",
        task=task_input,
    output:
        json="repro/{paper}/dataset.json",  # first: what a job waiting on this checkpoint reads
        data="repro/{paper}/data/dataset.npz",
        md=report("repro/{paper}/dataset.md", category="5 dataset"),
        substitution="repro/{paper}/dataset_substitution.md",
    log:
        "logs/{paper}/prepare_dataset.log",
    benchmark:
        "logs/{paper}/prepare_dataset.benchmark.tsv"
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        dataset=paper_setting("dataset"),
        task=paper_setting("task"),
    script:
        "../scripts/prepare_dataset.py"
