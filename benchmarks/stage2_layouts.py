"""Benchmark: stage 2 on repository layouts research code really has, built here in temp folders.

    python benchmarks/stage2_layouts.py

Each layout (a flat script repo, a vendored third-party tree, a Hydra project, a notebook project, a repo
configured through README commands and module constants, a paper whose text links baselines as well as its
own code) has a hand-written truth: which components exist, which settings (name, value) the paper's own
code holds, which settings belong to vendored code and must not be read, and which link is the paper's.
Prints per layout: component accuracy, settings recall and precision, vendored settings leaked, and
whether discovery chose the paper's own repository. Nothing is downloaded.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reprokit.code.discover import discover  # noqa: E402
from reprokit.code.inventory import COMPONENTS, analyse  # noqa: E402

MODEL = "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def __init__(self, hidden=128):\n" \
        "        super().__init__()\n        self.fc = nn.Linear(784, hidden)\n"
LOOP = "def train(model, loader, opt):\n    for x, y in loader:\n        loss = nn.functional.cross_entropy(model(x), y)\n" \
       "        loss.backward()\n        opt.step()\n"
DATA = "from torch.utils.data import DataLoader, Dataset\n\nclass Pairs(Dataset):\n    pass\n"

LAYOUTS = {
    "flat argparse script": {
        "files": {"model.py": MODEL, "data.py": DATA,
                  "train.py": MODEL + LOOP + "import argparse\np = argparse.ArgumentParser()\n"
                  "p.add_argument('--lr', type=float, default=0.1)\np.add_argument('--batch-size', type=int, default=128)\n"
                  "p.add_argument('--epochs', type=int, default=90)\n"
                  "opt = torch.optim.SGD(Net().parameters(), 0.1, 0.9)\n"},
        "components": {"model", "data", "loss", "training_loop", "optimizer", "configs"},
        "settings": {("lr", 0.1), ("batch_size", 128), ("epochs", 90), ("SGD.lr", 0.1), ("SGD.momentum", 0.9),
                     ("hidden", 128)},
        "vendored": set(),
    },
    "vendored third-party tree": {
        "files": {"main.py": MODEL + LOOP + "CONFIG = {'lr': 0.0003, 'gamma': 0.99}\n",
                  "configs/ppo.yaml": "ppo:\n  clip: 0.2\n  epochs: 5\n",
                  "third_party/atari/config.yaml": "lr: 0.00025\nbatch_size: 32\n",
                  "vendor/baselines/dqn.py": "import torch\nopt = torch.optim.Adam([], lr=0.0001)\n",
                  ".github/workflows/ci.yml": "jobs:\n  test:\n    timeout: 30\n",
                  "assets/hand.yaml": "finger_length: 0.05\n"},
        "components": {"model", "loss", "training_loop", "configs"},
        "settings": {("lr", 0.0003), ("gamma", 0.99), ("ppo.clip", 0.2), ("ppo.epochs", 5), ("hidden", 128)},
        "vendored": {("lr", 0.00025), ("batch_size", 32), ("Adam.lr", 0.0001), ("jobs.test.timeout", 30),
                     ("finger_length", 0.05)},
    },
    "Hydra project": {
        "files": {"train.py": MODEL + LOOP + "import hydra\n\n@hydra.main(config_path='conf', config_name='config')\n"
                  "def main(cfg):\n    pass\n",
                  "conf/config.yaml": "defaults:\n  - optimizer: adam\ntrainer:\n  max_epochs: 100\n  precision: 16\n",
                  "conf/optimizer/adam.yaml": "lr: 0.001\nweight_decay: 0.01\n",
                  "README.md": "# Train\n\n```\npython train.py optimizer.lr=0.0005 trainer.max_epochs=200\n```\n"},
        "components": {"model", "loss", "training_loop", "configs", "instructions"},
        "settings": {("trainer.max_epochs", 100), ("trainer.precision", 16), ("lr", 0.001), ("weight_decay", 0.01),
                     ("optimizer.lr", 0.0005), ("trainer.max_epochs", 200), ("hidden", 128)},
        "vendored": set(),
    },
    "notebook project": {
        "files": {"explore.ipynb": json.dumps({"cells": [
            {"cell_type": "markdown", "source": ["# Experiments"]},
            {"cell_type": "code", "source": ["!pip install torch\n", "import torch\n", "LR = 0.01\n", "EPOCHS = 20\n"]},
            {"cell_type": "code", "source": ["opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=0.0005)\n"]},
        ]})},
        "components": {"optimizer"},
        "settings": {("LR", 0.01), ("EPOCHS", 20), ("Adam.weight_decay", 0.0005)},
        "vendored": set(),
    },
    "README commands and constants": {
        "files": {"run.py": MODEL + LOOP + "WARMUP_STEPS = 500\nDROPOUT = 0.1\n\ndef main():\n"
                  "    setup = {'seed': 0, 'clip_norm': 1.0}\n",
                  "README.md": "## Reproduce\n\n    python3 run.py --lr 0.05 --batch-size 256 --amp\n"},
        "components": {"model", "loss", "training_loop", "configs", "instructions"},
        "settings": {("WARMUP_STEPS", 500), ("DROPOUT", 0.1), ("seed", 0), ("clip_norm", 1.0), ("lr", 0.05),
                     ("batch_size", 256), ("amp", True), ("hidden", 128)},
        "vendored": set(),
    },
}

PAPER = {"title": "FOO: Fast Optimisation Of Objectives", "arxiv_id": "", "abstract": "We propose FOO.",
         "author_notes": [], "sections": [], "tables": [], "hub": {},
         "code_links": ["https://github.com/other/tent", "https://github.com/x/timm", "https://github.com/me/FOO"],
         "footnotes": [{"id": "f1", "text": "https://github.com/other/tent", "context": "TENT (Wang et al., 2021)."},
                       {"id": "f2", "text": "https://github.com/x/timm", "context": "Weights come from the timm library."},
                       {"id": "f3", "text": "https://github.com/me/FOO", "context": "title"}]}


def measure(layout: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, text in layout["files"].items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        found, hparams, _, apart = analyse(root)
    present = {key for key, _ in COMPONENTS if found[key].paths}
    keys = [key for key, _ in COMPONENTS]
    correct = sum((key in present) == (key in layout["components"]) for key in keys)
    got = {(h["name"], h["value"]) for h in hparams if not isinstance(h["value"], (list, dict))}
    wanted = layout["settings"]
    hits = {s for s in wanted if s in got}
    own = {s for s in got if s in wanted}
    leaked = {s for s in got if s in layout["vendored"]}
    return {"components": correct / len(keys), "recall": len(hits) / len(wanted),
            "precision": len(own) / max(1, len(got)), "leaked": len(leaked), "set_aside": apart,
            "missed": sorted(map(str, wanted - hits))}


def main() -> None:
    totals = {"components": 0.0, "recall": 0.0, "leaked": 0}
    for name, layout in LAYOUTS.items():
        result = measure(layout)
        for key in ("components", "recall"):
            totals[key] += result[key] / len(LAYOUTS)
        totals["leaked"] += result["leaked"]
        print(f"{name:<32} components {result['components']:.0%}  settings recall {result['recall']:.0%}  "
              f"precision {result['precision']:.0%}  vendored leaked {result['leaked']}"
              + (f"  set aside {', '.join(result['set_aside'])}" if result["set_aside"] else "")
              + (f"  missed {', '.join(result['missed'])}" if result["missed"] else ""))
    chosen = discover(PAPER, "auto", search=False)["chosen"]
    print(f"{'paper linking baselines and its own code':<32} chose {chosen} "
          f"({'right' if chosen == 'https://github.com/me/FOO' else 'WRONG'})")
    print(f"{'all':<32} components {totals['components']:.0%}  settings recall {totals['recall']:.0%}  "
          f"vendored leaked {totals['leaked']}")


if __name__ == "__main__":
    main()
