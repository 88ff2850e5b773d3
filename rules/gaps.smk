# Stage 3: gap analysis: every value a run needs, each with one provenance tag. A checkpoint: what reads
# gaps.json reruns only when its content changed (after_checkpoint in common.smk).


checkpoint fill_gaps:
    input:
        paper="repro/{paper}/paper.json",
        hparams="repro/{paper}/code_hparams.json",
        task=task_input,
    output:
        json="repro/{paper}/gaps.json",  # first: what a job waiting on this checkpoint reads
        md=report("repro/{paper}/gaps_filled.md", category="3 gaps"),
    log:
        "logs/{paper}/fill_gaps.log",
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        overrides=paper_setting("overrides"),
        task=paper_setting("task"),
        max_guess_share=paper_setting("max_guess_share"),
        enforce_guess_share=paper_setting("enforce_guess_share"),
        strict=paper_setting("strict"),
        experiment=paper_setting("experiment"),
    script:
        "../scripts/fill_gaps.py"
