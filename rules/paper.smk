# Stage 1: paper acquisition. The raw paper (HTML, Markdown or PDF) and fetch.json are kept in source/,
# so reruns work offline; re-fetch on purpose with `snakemake -R fetch_paper ...`.


rule fetch_paper:
    input:
        local=source_input,
    output:
        source=directory("repro/{paper}/source"),
    log:
        "logs/{paper}/fetch_paper.log",
    benchmark:
        "logs/{paper}/fetch_paper.benchmark.tsv"
    localrule: True
    conda:
        paper_env("pipeline")
    params:
        source=paper_source,
    script:
        "../scripts/fetch_paper.py"


rule extract_paper:
    input:
        source="repro/{paper}/source",
    output:
        md=report("repro/{paper}/paper.md", category="1 paper"),
        json="repro/{paper}/paper.json",
    log:
        "logs/{paper}/extract_paper.log",
    localrule: True
    conda:
        paper_env("pipeline")
    script:
        "../scripts/extract_paper.py"
