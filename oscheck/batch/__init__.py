"""Batch scans of a portfolio: many grantees' repositories and models, resumable, in parallel.

``portfolio`` reads the YAML; ``work`` is the unit of work and the one worker function;
``executors`` runs it on a local process pool or on Dask; ``runner`` is the coordinating
process that alone writes the store; ``diff`` compares two runs. ``docs/batch.md`` is
the user's guide.
"""

from oscheck.batch.diff import RunDiff, diff_runs
from oscheck.batch.portfolio import LoadedPortfolio, Portfolio, TargetSpec, load_portfolio
from oscheck.batch.runner import BatchEvents, BatchOptions, BatchSummary, Outcome, Plan, run_batch
from oscheck.batch.work import TargetResult, WorkUnit, scan_target

__all__ = [
    "BatchEvents",
    "BatchOptions",
    "BatchSummary",
    "LoadedPortfolio",
    "Outcome",
    "Plan",
    "Portfolio",
    "RunDiff",
    "TargetResult",
    "TargetSpec",
    "WorkUnit",
    "diff_runs",
    "load_portfolio",
    "run_batch",
    "scan_target",
]
