# SPDX-License-Identifier: MIT
# Copyright 2026 Nuri Data Lab
"""Answers citizens' questions with a hosted model."""

import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


def answer(question: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": question}],
    )
    return reply.choices[0].message.content or ""
