# Stage 5: dataset: Hugging Face first, else the task's generator, check counts against the paper, record any substitution.


rule prepare_dataset:
    input:
        paper="repro/{paper}/paper.json",
        task=task_input,
    output:
        data="repro/{paper}/data/dataset.npz",
        md=report("repro/{paper}/dataset.md", category="5 dataset"),
        json="repro/{paper}/dataset.json",
        substitution="repro/{paper}/dataset_substitution.md",
    log:
        "logs/{paper}/prepare_dataset.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        dataset=paper_setting("dataset"),
        task=paper_setting("task"),
    script:
        "../scripts/prepare_dataset.py"
