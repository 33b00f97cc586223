"""The models the fake Hub serves, shaped like their real counterparts."""

from __future__ import annotations

import json

from hub_server import FakeModel
from model_files import safetensors_bytes, state_dict_pickle, torch_zip

LLAMA_LICENSE = b"""LLAMA 3.1 COMMUNITY LICENSE AGREEMENT
Llama 3.1 Version Release Date: July 23, 2024
...
2. Additional Commercial Terms. If, on the Llama 3.1 version release date, the monthly active users
of the products or services made available by or for Licensee, or Licensee's affiliates, is greater
than 700 million monthly active users in the preceding calendar month, you must request a license
from Meta, which Meta may grant to you in its sole discretion ...
"""

LLAMA_CARD = {
    "language": ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
    "license": "llama3.1",
    "pipeline_tag": "text-generation",
    "tags": ["facebook", "meta", "pytorch", "llama", "llama-3"],
    "extra_gated_prompt": "### LLAMA 3.1 COMMUNITY LICENSE AGREEMENT ...",
    "extra_gated_button_content": "Submit",
}


def config(arch: str, model_type: str) -> bytes:
    return json.dumps({"architectures": [arch], "model_type": model_type, "torch_dtype": "bfloat16"}).encode()


def hub_models() -> list[FakeModel]:
    llama_shards = {f"model-0000{i}-of-00004.safetensors": 4_976_698_672 for i in range(1, 5)}
    return [
        FakeModel(
            "acme/ko-sbert-apache",
            files={
                "config.json": config("BertModel", "bert"),
                "model.safetensors": safetensors_bytes(),
                "tokenizer.json": b"{}",
                "LICENSE": b"Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n",
            },
            card={
                "license": "apache-2.0",
                "language": ["ko"],
                "pipeline_tag": "sentence-similarity",
                "library_name": "sentence-transformers",
                "datasets": ["klue/klue"],
            },
            tags=["sentence-transformers", "safetensors", "bert", "ko", "dataset:klue/klue"],
            pipeline_tag="sentence-similarity",
            library_name="sentence-transformers",
            readme_body="# ko-sbert\n\n## Limitations\n\nTrained on news text only; weak on dialogue.\n",
        ),
        FakeModel(
            "meta-llama/Llama-3.1-8B",
            files={
                "config.json": config("LlamaForCausalLM", "llama"),
                "LICENSE": LLAMA_LICENSE,
                "USE_POLICY.md": b"# Llama 3.1 Acceptable Use Policy\n",
                "model.safetensors.index.json": b"{}",
                **llama_shards,
            },
            card=LLAMA_CARD,
            tags=["transformers", "safetensors", "llama", "text-generation", "license:llama3.1"],
            gated="manual",
            pipeline_tag="text-generation",
        ),
        FakeModel(
            "meta-llama/Llama-3.1-8B-Instruct",
            files={
                "config.json": config("LlamaForCausalLM", "llama"),
                "LICENSE": LLAMA_LICENSE,
                "USE_POLICY.md": b"# Llama 3.1 Acceptable Use Policy\n",
                "model.safetensors.index.json": b"{}",
                "original/consolidated.00.pth": 16_060_617_592,
                **llama_shards,
            },
            card={**LLAMA_CARD, "base_model": "meta-llama/Meta-Llama-3.1-8B"},
            tags=[
                "transformers",
                "safetensors",
                "llama",
                "text-generation",
                "conversational",
                "base_model:meta-llama/Llama-3.1-8B",
                "base_model:finetune:meta-llama/Llama-3.1-8B",
                "license:llama3.1",
            ],
            gated="manual",
            pipeline_tag="text-generation",
        ),
        FakeModel(
            "acme/ko-chat-nc",
            files={
                "config.json": config("GPT2LMHeadModel", "gpt2"),
                "pytorch_model.bin": torch_zip(state_dict_pickle()),
            },
            card={"license": "cc-by-nc-4.0", "language": ["ko"]},
            tags=["transformers", "pytorch", "gpt2", "license:cc-by-nc-4.0"],
            pipeline_tag="text-generation",
        ),
        FakeModel(
            "acme/config-only",
            files={"config.json": config("BertModel", "bert"), "tokenizer.json": b"{}", "vocab.txt": b"[PAD]\n"},
            card={"license": "mit"},
            tags=["transformers", "bert", "license:mit"],
        ),
        FakeModel(
            "acme/llama-ko-finetune",
            files={
                "config.json": config("LlamaForCausalLM", "llama"),
                "model.safetensors": safetensors_bytes(),
            },
            card={"license": "apache-2.0", "base_model": "meta-llama/Llama-3.1-8B-Instruct", "language": ["ko"]},
            tags=[
                "transformers",
                "safetensors",
                "llama",
                "base_model:meta-llama/Llama-3.1-8B-Instruct",
                "base_model:finetune:meta-llama/Llama-3.1-8B-Instruct",
                "license:apache-2.0",
            ],
            pipeline_tag="text-generation",
        ),
        FakeModel(
            "acme/exaone-gguf",
            files={"exaone-q4_k_m.gguf": 4_800_000_000},
            card={
                "license": "other",
                "license_name": "exaone",
                "license_link": "LICENSE",
                "base_model": "LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
            },
            tags=["gguf", "base_model:quantized:LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct", "license:other"],
            library_name=None,
        ),
        FakeModel(
            "acme/cycle-a",
            files={"model.safetensors": safetensors_bytes()},
            card={"license": "mit", "base_model": "acme/cycle-b"},
        ),
        FakeModel(
            "acme/cycle-b",
            files={"model.safetensors": safetensors_bytes()},
            card={"license": "mit", "base_model": "acme/cycle-a"},
        ),
        FakeModel(
            "acme/private-model",
            files={"model.safetensors": safetensors_bytes()},
            card={"license": "apache-2.0"},
            private=True,
        ),
    ]
