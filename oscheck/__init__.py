"""oscheck: open-source license and AI compliance scanner for publicly funded AI software.

Use it as a library::

    from oscheck import scan, ScanOptions
    result = scan(".", ScanOptions(program="nipa-oss-ai-use-2026", track="use"))
    print(result.summary.verdict, len(result.findings))
"""

from __future__ import annotations

from oscheck._version import __version__
from oscheck.errors import ExitCode, InputError, OscheckError, TargetUnavailable
from oscheck.model import Finding, ScanResult, Severity, Target, Verdict
from oscheck.scan import ScanOptions, scan

__all__ = [
    "ExitCode",
    "Finding",
    "InputError",
    "OscheckError",
    "ScanOptions",
    "ScanResult",
    "Severity",
    "Target",
    "TargetUnavailable",
    "Verdict",
    "__version__",
    "scan",
]
