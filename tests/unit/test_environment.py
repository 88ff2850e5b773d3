"""Where reprokit and the examples' packages come from: installed, never path-inserted; no example in the core."""

import importlib.util
import shutil
import subprocess
import sys

import pytest
import yaml

from reprokit import installed
from reprokit.errors import UserError
from reprokit.installed import check_installed
from tests.conftest import ROOT


def test_no_script_and_no_snakefile_inserts_a_path():
    offenders = [str(p.relative_to(ROOT)) for p in [ROOT / "Snakefile", *sorted((ROOT / "scripts").glob("*.py")),
                                                    *sorted((ROOT / "rules").glob("*.smk"))]
                 if "sys.path" in p.read_text() or "PYTHONPATH" in p.read_text()]
    assert offenders == []


def test_the_jobs_reprokit_is_this_workflows(tmp_path):
    check_installed(ROOT)  # this checkout's, as `make demo` installs it (or on PYTHONPATH)
    copy = tmp_path / "clone"
    shutil.copytree(ROOT / "reprokit", copy / "reprokit", ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.raises(UserError, match=r"would import reprokit from .*not from this workflow .*pip install -e"):
        check_installed(copy)


def test_a_python_without_reprokit_is_told_to_install_it(tmp_path, monkeypatch):
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.setattr(installed, "PROBE", [str(bare / "bin" / "python"), *installed.PROBE[1:]])
    with pytest.raises(UserError, match=r"reprokit package is not installed .*make demo.*pip install -e"):
        check_installed(ROOT)


def env_packages(path):
    deps = yaml.safe_load(path.read_text())["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    return [d for d in deps if not isinstance(d, dict)], pip


def test_core_envs_hold_no_example_package_and_install_reprokit():
    examples = [p.name for p in (ROOT / "examples").iterdir() if p.is_dir()]
    for env in sorted((ROOT / "envs").glob("*.yaml")):
        conda, pip = env_packages(env)
        assert not [p for p in pip if p.split("==")[0] in examples], env.name
        deploy = env.with_name(env.stem + ".post-deploy.sh")
        assert "pip install" in deploy.read_text() and "--editable ." in deploy.read_text(), deploy.name


def test_an_examples_own_env_is_the_core_env_plus_its_packages():
    for own in sorted((ROOT / "examples").glob("*/envs/*.yaml")):
        core_conda, core_pip = env_packages(ROOT / "envs" / own.name)
        conda, pip = env_packages(own)
        assert conda == core_conda and pip[:len(core_pip)] == core_pip and len(pip) > len(core_pip), own
        assert own.with_name(own.stem + ".post-deploy.sh").resolve() == (ROOT / "envs" / f"{own.stem}.post-deploy.sh")


@pytest.mark.skipif(importlib.util.find_spec("mnist1d") is None, reason="mnist1d (the example's package) not installed")
def test_the_mnist1d_examples_data_args_are_its_packages_defaults():
    from mnist1d.data import get_dataset_args

    from reprokit.task import load_task

    task = load_task(str(ROOT / "examples" / "mnist1d" / "task.py"))
    assert task.data_args == {k: v for k, v in get_dataset_args(as_dict=True).items() if k != "url"}
