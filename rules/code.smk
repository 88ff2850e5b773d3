# Stage 2: existing code: discover it, bring it in (never executed, re-clone with
# `snakemake -R clone_code ...`), then inventory it by static analysis.


rule discover_code:
    input:
        paper="repro/{paper}/paper.json",
    output:
        json="repro/{paper}/code_candidates.json",
    log:
        "logs/{paper}/discover_code.log",
    benchmark:
        "logs/{paper}/discover_code.benchmark.tsv"
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        code=paper_setting("code"),
        search=config["github_search"],
    script:
        "../scripts/discover_code.py"


rule clone_code:
    input:
        candidates="repro/{paper}/code_candidates.json",
    output:
        tree=directory("repro/{paper}/upstream"),
        meta="repro/{paper}/upstream.json",
    log:
        "logs/{paper}/clone_code.log",
    benchmark:
        "logs/{paper}/clone_code.benchmark.tsv"
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        timeout_s=config["clone_timeout_s"],
        max_mb=config["clone_max_mb"],
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
        paper_env("pipeline")
    script:
        "../scripts/inventory_code.py"
