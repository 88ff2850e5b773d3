# Stage 1: paper acquisition. The raw page is kept in source/ so reruns work offline.


rule fetch_paper:
    input:
        local=source_input,
    output:
        html="repro/{paper}/source/paper.html",
        meta="repro/{paper}/source/fetch.json",
    log:
        "logs/{paper}/fetch_paper.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    params:
        source=lookup(dpath="papers/{paper}/source", within=config),
    script:
        "../scripts/fetch_paper.py"


rule extract_paper:
    input:
        html="repro/{paper}/source/paper.html",
        meta="repro/{paper}/source/fetch.json",
    output:
        md=report("repro/{paper}/paper.md", category="1 paper"),
        json="repro/{paper}/paper.json",
    log:
        "logs/{paper}/extract_paper.log",
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/extract_paper.py"
