# Stage 3: gap analysis: every value a run needs, each with one provenance tag.


rule fill_gaps:
    input:
        paper="repro/{paper}/paper.json",
        hparams="repro/{paper}/code_hparams.json",
        task=task_input,
    output:
        md=report("repro/{paper}/gaps_filled.md", category="3 gaps"),
        json="repro/{paper}/gaps.json",
    log:
        "logs/{paper}/fill_gaps.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        overrides=paper_setting("overrides"),
        task=paper_setting("task"),
        max_guess_share=paper_setting("max_guess_share"),
        enforce_guess_share=paper_setting("enforce_guess_share"),
        strict=paper_setting("strict"),
    script:
        "../scripts/fill_gaps.py"
