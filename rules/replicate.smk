# Stage 7: replication runs and the comparison with the paper's numbers.


checkpoint plan_runs:
    input:
        unpack(route_inputs),
        paper="repro/{paper}/paper.json",
        gaps=after_checkpoint("fill_gaps", "repro/{paper}/gaps.json"),
        settled=settled(*BEFORE_PLAN),
    output:
        json="repro/{paper}/run_plan.json",  # first: what a job waiting on this checkpoint reads
        md=report("repro/{paper}/run_plan.md", category="7 results"),
    log:
        "logs/{paper}/plan_runs.log",
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        models=paper_setting("models"),
        seeds=paper_setting("seeds"),
        metric_column=paper_setting("metric_column"),
        paper_unit=paper_setting("paper_unit"),
        metrics_from=paper_setting("metrics_from"),
        slurm_time=SLURM_TIME,
    script:
        "../scripts/plan_runs.py"


# Checkpoints and TensorBoard events stay in runs/<run>/ (not declared: a failed job must not lose
# them); only the final metrics file is the output. The log is the current attempt; every attempt's
# output is also appended to logs/<paper>/train_run/<run>.attempts.log (Snakemake empties logs on retry).
rule train_run:
    input:
        implementation=after_checkpoint(
            "implement_code", "repro/{paper}/implementation.json"
        ),
        dataset=after_checkpoint("prepare_dataset", "repro/{paper}/dataset.json"),
        data="repro/{paper}/data/dataset.npz",
        status="repro/{paper}/smoke_logs/smoke_status.json",
        settled=settled(*BEFORE_PLAN),
    output:
        metrics="repro/{paper}/runs/{run}/metrics.json",
    log:
        "logs/{paper}/train_run/{run}.log",
    benchmark:
        "logs/{paper}/train_run/{run}.benchmark.tsv"
    conda:
        paper_env("train")
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
        cpu_kernels=config["cpu_kernels"],
    script:
        "../scripts/train_run.py"


# The official code's training run (upstream route): its entry point with the launch's values, the seed and
# the model's arguments, in runs/upstream/<run>/ (links to code/'s files; what it writes stays there).
# run.json records it; read_upstream_metrics reads its metric per `metrics_from` (fixing that re-reads only).
rule train_upstream:
    input:
        launch="repro/{paper}/upstream_launch.json",
        env="repro/{paper}/upstream_env.json",
        status="repro/{paper}/smoke_logs/upstream/smoke_status.json",
    output:
        run="repro/{paper}/runs/upstream/{run}/run.json",
    log:
        "logs/{paper}/train_upstream/{run}.log",
    benchmark:
        "logs/{paper}/train_upstream/{run}.benchmark.tsv"
    conda:
        paper_env("train")
    threads: config["threads_per_run"]
    resources:
        runtime=train_runtime,
        mem_mb=scaled_mem_mb,
    params:
        upstream=upstream_settings,
        model=run_model,
        seed=run_seed,
        run_dir=upstream_run_dir,
        history=upstream_attempts_log,
    script:
        "../scripts/train_upstream.py"


rule read_upstream_metrics:
    input:
        run="repro/{paper}/runs/upstream/{run}/run.json",
    output:
        metrics="repro/{paper}/runs/upstream/{run}/metrics.json",
    log:
        "logs/{paper}/read_upstream_metrics/{run}.log",
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        metrics_from=paper_setting("metrics_from"),
    script:
        "../scripts/read_upstream_metrics.py"


# One figure per model: its metric and training loss over steps for every seed (TensorBoard events, else
# the run's metrics.json history), the paper's point marked; linked from results.md, shown by --report.
rule plot_curves:
    input:
        plan=after_checkpoint("plan_runs", "repro/{paper}/run_plan.json"),
        metrics=route_metrics,
        settled=settled(*BEFORE_PLAN, "plan_runs"),
    output:
        curves=report(
            directory("repro/{paper}/curves"),
            patterns=["{model}.png"],
            category="7 results",
            subcategory="curves",
            labels={
                "model": "{model}",
                "figure": "metric and training loss over steps",
            },
        ),
    log:
        "logs/{paper}/plot_curves.log",
    localrule: True
    conda:
        paper_env("pipeline")
    script:
        "../scripts/plot_curves.py"


rule compare_results:
    input:
        unpack(dataset_input),
        plan=after_checkpoint("plan_runs", "repro/{paper}/run_plan.json"),
        gaps=after_checkpoint("fill_gaps", "repro/{paper}/gaps.json"),
        metrics=route_metrics,
        curves="repro/{paper}/curves",
        settled=settled(*BEFORE_PLAN, "plan_runs"),
    output:
        md=report("repro/{paper}/results.md", category="7 results"),
        json="repro/{paper}/results.json",
    log:
        "logs/{paper}/compare_results.log",
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        tolerance=paper_setting("tolerance"),
        disagreement=paper_setting("disagreement"),
        final_window=paper_setting("final_window"),
    script:
        "../scripts/compare_results.py"


rule publish_results:
    input:
        results=configured_results,
        settled=settled(*BEFORE_PLAN, "plan_runs"),
    output:
        "results.md",
    log:
        "logs/publish_results.log",
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        workspace=lambda wildcards, input: str(Path(str(input.results)).parent),
    shell:
        # results.md's figures are linked relative to its workspace
        "sed 's#](curves/#]({params.workspace}/curves/#g' {input.results} > {output} 2> {log}"
