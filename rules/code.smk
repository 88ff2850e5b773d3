# Stage 2: existing code: bring it in (never executed), then inventory it by static analysis.


rule clone_code:
    output:
        tree=directory("repro/{paper}/upstream"),
        meta="repro/{paper}/upstream.json",
    log:
        "logs/{paper}/clone_code.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        code=paper_setting("code"),
    script:
        "../scripts/clone_code.py"


rule inventory_code:
    input:
        tree="repro/{paper}/upstream",
        meta="repro/{paper}/upstream.json",
        paper="repro/{paper}/paper.json",
        facts=code_facts_input,
    output:
        md=report("repro/{paper}/inventory.md", category="2 code"),
        json="repro/{paper}/inventory.json",
        hparams="repro/{paper}/code_hparams.json",
    log:
        "logs/{paper}/inventory_code.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/inventory_code.py"
