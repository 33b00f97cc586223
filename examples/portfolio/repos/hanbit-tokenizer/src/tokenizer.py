# SPDX-License-Identifier: BSD-3-Clause
# SPDX-FileCopyrightText: 2026 Hanbit Soft
"""A tokenizer whose header says BSD-3-Clause while the project is MIT."""


def tokenize(text: str) -> list[str]:
    return text.split()
