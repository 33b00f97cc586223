# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 Daon Healthcare
"""Clinical NER with the fine-tuned Llama model."""

MODEL = "daon/daon-med-llama"


def load():
    from transformers import AutoModelForTokenClassification

    return AutoModelForTokenClassification.from_pretrained(MODEL)
