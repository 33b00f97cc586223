"""Progress reporting, injected: the library never prints.

The CLI passes a rich progress bar; the batch runner, tests and the library default pass
:class:`NullProgress`.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, task: str, total: int | None) -> None:
        """Begin a named task with ``total`` steps (``None``: unknown)."""

    def advance(self, task: str, steps: int = 1) -> None:
        """Count ``steps`` more steps of ``task`` as done."""

    def finish(self, task: str) -> None:
        """The task is over."""


class NullProgress:
    def start(self, task: str, total: int | None) -> None:
        return None

    def advance(self, task: str, steps: int = 1) -> None:
        return None

    def finish(self, task: str) -> None:
        return None
