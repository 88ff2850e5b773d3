# Stage 7: replication runs and the comparison with the paper's numbers.


rule plan_runs:
    input:
        paper="repro/{paper}/paper.json",
        gaps="repro/{paper}/gaps.json",
        status="repro/{paper}/smoke_logs/smoke_status.json",
        implementation="repro/{paper}/implementation.json",
    output:
        md=report("repro/{paper}/run_plan.md", category="7 results"),
        json="repro/{paper}/run_plan.json",
    log:
        "logs/{paper}/plan_runs.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        models=paper_setting("models"),
        seeds=paper_setting("seeds"),
        metric_column=paper_setting("metric_column"),
        paper_unit=paper_setting("paper_unit"),
    script:
        "../scripts/plan_runs.py"


# Checkpoints and TensorBoard events stay in runs/<run>/ (not declared: a failed job must not lose
# them); only the final metrics file is the output. The log is the current attempt; every attempt's
# output is also appended to logs/<paper>/train_run/<run>.attempts.log (Snakemake empties logs on retry).
rule train_run:
    input:
        implementation="repro/{paper}/implementation.json",
        data="repro/{paper}/data/dataset.npz",
        status="repro/{paper}/smoke_logs/smoke_status.json",
    output:
        metrics="repro/{paper}/runs/{run}/metrics.json",
    log:
        "logs/{paper}/train_run/{run}.log",
    benchmark:
        "logs/{paper}/train_run/{run}.benchmark.tsv"
    conda:
        "../envs/train.yaml"
    threads: config["threads_per_run"]
    resources:
        runtime=train_runtime,
        mem_mb=scaled_mem_mb,
    params:
        code=code_dir,
        config=code_config,
        model=run_model,
        seed=run_seed,
        run_dir=run_dir,
        gpus=config["gpus_per_run"],
        history=attempts_log,
        checkpoint_every=config["checkpoint_every"],
    script:
        "../scripts/train_run.py"


rule compare_results:
    input:
        plan="repro/{paper}/run_plan.json",
        gaps="repro/{paper}/gaps.json",
        dataset="repro/{paper}/dataset.json",
        metrics=run_metrics,
    output:
        md=report("repro/{paper}/results.md", category="7 results"),
        json="repro/{paper}/results.json",
    log:
        "logs/{paper}/compare_results.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        tolerance=paper_setting("tolerance"),
        disagreement=paper_setting("disagreement"),
    script:
        "../scripts/compare_results.py"


rule publish_results:
    input:
        configured_results,
    output:
        "results.md",
    log:
        "logs/publish_results.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    shell:
        "cp {input} {output} 2> {log}"
