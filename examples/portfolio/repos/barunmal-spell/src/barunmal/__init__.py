# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: 2026 Barunmal Institute
"""Korean spelling and spacing correction."""

import re

_SPACES = re.compile(r"\s+")


def correct(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
