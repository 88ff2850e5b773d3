# Stage 4: implementation: code/ is a git repo (the task, the config, the entry point), config first, one
# commit per filled gap; later ledger changes are committed on top and the user's own edits are kept. code/
# itself is not a declared output, so Snakemake never deletes it; implementation.json records its commits.


rule implement_code:
    input:
        gaps="repro/{paper}/gaps.json",
        paper="repro/{paper}/paper.json",
        task=task_input,
    output:
        json="repro/{paper}/implementation.json",
    log:
        "logs/{paper}/implement_code.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        task=paper_setting("task"),
        code=code_dir,
    script:
        "../scripts/implement_code.py"
