# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 Hanbit Soft
"""Korean civil-service QA."""

from third_party.textnorm.normalize import normalise


def answer(question: str) -> str:
    return normalise(question)
