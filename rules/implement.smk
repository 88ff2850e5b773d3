# Stage 4: implementation: code/ is a git repo, config first, one commit per filled gap.


rule implement_code:
    input:
        gaps="repro/{paper}/gaps.json",
        paper="repro/{paper}/paper.json",
    output:
        config="repro/{paper}/code/configs/repro-default.yaml",
        json="repro/{paper}/implementation.json",
    log:
        "logs/{paper}/implement_code.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        models=model_names,
    script:
        "../scripts/implement_code.py"
