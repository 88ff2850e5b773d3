"""The task contract (``contract``): what a paper brings for stages 4-7. A task file imports from here:

    from reprokit.task import Knob, Metric, accuracy
"""

from reprokit.gaps.knobs import Knob
from reprokit.task.contract import BUILTIN_LOSSES, Metric, Task, accuracy, load_task

__all__ = ["BUILTIN_LOSSES", "Knob", "Metric", "Task", "accuracy", "load_task"]
