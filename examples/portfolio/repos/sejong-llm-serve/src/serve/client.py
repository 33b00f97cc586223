# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 Sejong AI
"""Talks to our own vLLM server through its OpenAI-compatible API."""

import os

from openai import OpenAI

client = OpenAI(base_url=os.getenv("LLM_URL", "http://llm.sejong-ai.kr:8000/v1"), api_key="EMPTY")


def ask(question: str) -> str:
    reply = client.chat.completions.create(model="sejong/ko-law-8b", messages=[{"role": "user", "content": question}])
    return reply.choices[0].message.content or ""
