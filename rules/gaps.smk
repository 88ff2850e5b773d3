# Stage 3: gap analysis: every value a run needs, each with one provenance tag.


rule fill_gaps:
    input:
        paper="repro/{paper}/paper.json",
        hparams="repro/{paper}/code_hparams.json",
    output:
        md=report("repro/{paper}/gaps_filled.md", category="3 gaps"),
        json="repro/{paper}/gaps.json",
    log:
        "logs/{paper}/fill_gaps.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        overrides=lookup(dpath="papers/{paper}/overrides", within=config),
        seeds=lookup(dpath="papers/{paper}/seeds", within=config),
        max_guess_share=lookup(dpath="papers/{paper}/max_guess_share", within=config),
        enforce_guess_share=lookup(
            dpath="papers/{paper}/enforce_guess_share", within=config
        ),
    script:
        "../scripts/fill_gaps.py"
