# Stage 4: implementation: code/ is a git repo (the task, the config, the entry point), config first, one
# commit per filled gap; later ledger changes are committed on top and the user's own edits are kept. code/
# itself is not a declared output, so Snakemake never deletes it; implementation.json records its commits. A
# commit of yours in code/ is a param (user_commit), so it reruns this rule and the record lists it. A
# checkpoint: the smoke ladder and the runs rerun only when implementation.json's content changed.


checkpoint implement_code:
    input:
        gaps=after_checkpoint("fill_gaps", "repro/{paper}/gaps.json"),
        paper=ancient("repro/{paper}/paper.json"),  # its title, for code/README.md when code/ is first built
        task=task_input,
    output:
        json="repro/{paper}/implementation.json",
    log:
        "logs/{paper}/implement_code.log",
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        task=paper_setting("task"),
        code=code_dir,
        user_commit=user_commit(code_dir),
    script:
        "../scripts/implement_code.py"


# The upstream route (implementation: upstream or both): the official tree, extended. code/ (upstream_code/ beside
# the reimplementation under `both`) starts as the upstream tree at its recorded commit, unmodified, then one
# commit per ledger value the launch sets in reprokit-launch.yaml (docs/upstream.md). Nothing runs here. A commit
# of yours there reruns it (user_commit), and so the environment, the smoke ladder and the runs after it.
rule implement_upstream:
    input:
        gaps=after_checkpoint("fill_gaps", "repro/{paper}/gaps.json"),
        tree="repro/{paper}/upstream",
        meta="repro/{paper}/upstream.json",
        inventory="repro/{paper}/inventory.json",
        task=task_input,
    output:
        json="repro/{paper}/upstream_launch.json",
    log:
        "logs/{paper}/implement_upstream.log",
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        task=paper_setting("task"),
        entry=paper_setting("entry"),
        tree=upstream_tree,
        metrics_given=metrics_given,
        user_commit=user_commit(upstream_tree),
        leave=paper_setting("leave_to_code"),
        entry_args=paper_setting("entry_args"),
        models=paper_setting("models"),
    script:
        "../scripts/implement_upstream.py"


# The official code's own environment (uv, else venv + pip), made on the login node (it has the network),
# reused by every job; made again only when the requirements change. Needs `trust_upstream: true`.
rule upstream_env:
    input:
        launch="repro/{paper}/upstream_launch.json",
    output:
        json="repro/{paper}/upstream_env.json",
    log:
        "logs/{paper}/upstream_env.log",
    benchmark:
        "logs/{paper}/upstream_env.benchmark.tsv"
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        tree=upstream_tree,
        env="repro/{paper}/env",
        inherit=paper_setting("inherit_packages"),
        python=paper_setting("python"),
        requirements=paper_setting("requirements"),
        trusted=paper_setting("trust_upstream"),
    script:
        "../scripts/upstream_env.py"
