# Stage 6: the smoke ladder, run through code/train.py (the program train_run runs): one rule, one job per tier
# (tier1_forward, tier2_one_step, tier3_iterations). Each tier needs the one before; a failing tier stops the DAG
# here. The SLURM profile groups the three tier jobs of a paper into one job (`groups:` there): one queue wait; a
# failing tier still fails under its own log (logs/<paper>/smoke_tier/<tier>.log).


rule smoke_tier:
    input:
        implementation=after_checkpoint(
            "implement_code", "repro/{paper}/implementation.json"
        ),
        dataset=after_checkpoint("prepare_dataset", "repro/{paper}/dataset.json"),
        data="repro/{paper}/data/dataset.npz",
        settled=settled(*BEFORE_PLAN),
        previous=previous_smoke_tier,
    output:
        log="repro/{paper}/smoke_logs/{tier}.log",
        json="repro/{paper}/smoke_logs/{tier}.json",
    log:
        "logs/{paper}/smoke_tier/{tier}.log",
    benchmark:
        "logs/{paper}/smoke_tier/{tier}.benchmark.tsv"
    conda:
        paper_env("train")
    threads: 1
    resources:
        runtime=15,
        mem_mb=scaled_mem_mb,
    params:
        tier=smoke_tier_number,
        models=model_names,
        settings=SMOKE_CHECKS,
        cpu_kernels=config["cpu_kernels"],
        code=code_dir,
        config=code_config,
    script:
        "../scripts/smoke_tier.py"


rule smoke_status:
    input:
        tiers=[smoke_tier_record(tier) for tier in SMOKE_TIERS],
        settled=settled(*BEFORE_PLAN),
    output:
        md=report("repro/{paper}/smoke_logs/smoke_status.md", category="6 smoke"),
        json="repro/{paper}/smoke_logs/smoke_status.json",
    log:
        "logs/{paper}/smoke_status.log",
    localrule: True
    conda:
        paper_env("train")
    params:
        checkpoint_every=config["checkpoint_every"],
    script:
        "../scripts/smoke_status.py"


# The smoke ladder of the official code (upstream route): tier N runs its entry point shrunk (1, 2, then
# smoke.iterations steps, or one epoch) for each model, in smoke_logs/upstream/work/, and judges the losses
# it prints. The SLURM profile groups the three tiers into one job.
rule smoke_upstream:
    input:
        launch="repro/{paper}/upstream_launch.json",
        env="repro/{paper}/upstream_env.json",
        previous=previous_upstream_tier,
    output:
        log="repro/{paper}/smoke_logs/upstream/tier{level}.log",
        json="repro/{paper}/smoke_logs/upstream/tier{level}.json",
    log:
        "logs/{paper}/smoke_upstream/tier{level}.log",
    benchmark:
        "logs/{paper}/smoke_upstream/tier{level}.benchmark.tsv"
    conda:
        paper_env("train")
    threads: 1
    resources:
        runtime=30,
        mem_mb=scaled_mem_mb,
    params:
        settings=SMOKE_CHECKS,
        upstream=upstream_settings,
        work="repro/{paper}/smoke_logs/upstream/work",
    script:
        "../scripts/smoke_upstream.py"


rule smoke_upstream_status:
    input:
        launch="repro/{paper}/upstream_launch.json",
        tiers=[
            upstream_tier_record(1),
            upstream_tier_record(2),
            upstream_tier_record(3),
        ],
    output:
        md=report(
            "repro/{paper}/smoke_logs/upstream/smoke_status.md", category="6 smoke"
        ),
        json="repro/{paper}/smoke_logs/upstream/smoke_status.json",
    log:
        "logs/{paper}/smoke_upstream_status.log",
    localrule: True
    conda:
        paper_env("pipeline")
    script:
        "../scripts/smoke_upstream_status.py"
