"""The model reference finder on a corpus of real-world shaped snippets, each with its expected ids."""

from __future__ import annotations

import json

import pytest

from oscheck.detectors.models.references import find_references

# (file name, text, expected {(id, source)}); every snippet is shaped like code in the wild.
CORPUS: list[tuple[str, str, set[tuple[str, str]]]] = [
    (
        "app.py",
        "from transformers import AutoModelForCausalLM, AutoTokenizer\n"
        'tok = AutoTokenizer.from_pretrained("Qwen/Qwen2.5-7B-Instruct")\n'
        'model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B-Instruct", torch_dtype="auto")\n',
        {("Qwen/Qwen2.5-7B-Instruct", "hub")},
    ),
    (
        "pipe.py",
        'from transformers import pipeline\nclf = pipeline("text-classification", model="klue/roberta-base")\n',
        {("klue/roberta-base", "hub")},
    ),
    (
        "pipe2.py",
        'import transformers\ngen = transformers.pipeline("text-generation", "gpt2")\n',
        {("gpt2", "hub")},
    ),
    (
        "const.py",
        'MODEL_ID = "meta-llama/Llama-3.1-8B-Instruct"\n\n'
        "def load():\n    return AutoModel.from_pretrained(MODEL_ID)\n",
        {("meta-llama/Llama-3.1-8B-Instruct", "hub")},
    ),
    (
        "env.py",
        'import os\nname = os.getenv("MODEL_NAME", "upstage/SOLAR-10.7B-Instruct-v1.0")\n'
        "model = AutoModelForCausalLM.from_pretrained(name)\n",
        {("upstage/SOLAR-10.7B-Instruct-v1.0", "hub")},
    ),
    (
        "env2.py",
        'import os\nmodel = AutoModel.from_pretrained(os.environ.get("EMBED", "BAAI/bge-m3"))\n',
        {("BAAI/bge-m3", "hub")},
    ),
    (
        "default_param.py",
        'def build(model_name_or_path: str = "beomi/KoAlpaca-Polyglot-5.8B"):\n'
        "    return AutoModelForCausalLM.from_pretrained(model_name_or_path)\n",
        {("beomi/KoAlpaca-Polyglot-5.8B", "hub")},
    ),
    (
        "args.py",
        "import argparse\np = argparse.ArgumentParser()\n"
        'p.add_argument("--model_name_or_path", default="LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct")\n',
        {("LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct", "hub")},
    ),
    (
        "st.py",
        "from sentence_transformers import SentenceTransformer, CrossEncoder\n"
        'emb = SentenceTransformer("all-MiniLM-L6-v2")\n'
        'rr = CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2")\n',
        {("sentence-transformers/all-MiniLM-L6-v2", "hub"), ("cross-encoder/ms-marco-MiniLM-L-6-v2", "hub")},
    ),
    (
        "diff.py",
        "from diffusers import DiffusionPipeline, StableDiffusionPipeline\n"
        'pipe = DiffusionPipeline.from_pretrained("stabilityai/stable-diffusion-xl-base-1.0")\n'
        'pipe2 = StableDiffusionPipeline.from_single_file("./weights/v1-5-pruned.safetensors")\n',
        {("stabilityai/stable-diffusion-xl-base-1.0", "hub"), ("./weights/v1-5-pruned.safetensors", "local")},
    ),
    (
        "peft_load.py",
        'base = AutoModelForCausalLM.from_pretrained("mistralai/Mistral-7B-v0.1")\n'
        'model = PeftModel.from_pretrained(base, "my-org/mistral-ko-lora")\n',
        {("mistralai/Mistral-7B-v0.1", "hub"), ("my-org/mistral-ko-lora", "hub")},
    ),
    (
        "serve_vllm.py",
        'from vllm import LLM, SamplingParams\nllm = LLM(model="Qwen/Qwen2.5-1.5B-Instruct", tensor_parallel_size=1)\n',
        {("Qwen/Qwen2.5-1.5B-Instruct", "hub")},
    ),
    (
        "engine.py",
        "from vllm.engine.arg_utils import AsyncEngineArgs\n"
        'args = AsyncEngineArgs(model="google/gemma-2-9b-it", dtype="bfloat16")\n',
        {("google/gemma-2-9b-it", "hub")},
    ),
    (
        "llamacpp.py",
        "from llama_cpp import Llama\n"
        'llm = Llama(model_path="./models/ko-chat.Q4_K_M.gguf", n_ctx=4096)\n'
        'llm2 = Llama.from_pretrained(repo_id="bartowski/Llama-3.2-3B-Instruct-GGUF", filename="*Q4_K_M.gguf")\n',
        {("./models/ko-chat.Q4_K_M.gguf", "local"), ("bartowski/Llama-3.2-3B-Instruct-GGUF", "hub")},
    ),
    (
        "ollama_client.py",
        'import ollama\nresp = ollama.chat(model="llama3.1:8b", messages=[{"role": "user", "content": "hi"}])\n'
        'client = ollama.Client(host="http://localhost:11434")\nclient.generate(model="qwen2.5:7b", prompt="x")\n',
        {("llama3.1:8b", "ollama"), ("qwen2.5:7b", "ollama")},
    ),
    (
        "lc.py",
        "from langchain_ollama import ChatOllama\nfrom langchain_huggingface import HuggingFaceEmbeddings\n"
        'chat = ChatOllama(model="gemma2:9b", temperature=0)\n'
        'emb = HuggingFaceEmbeddings(model_name="jhgan/ko-sroberta-multitask")\n',
        {("gemma2:9b", "ollama"), ("jhgan/ko-sroberta-multitask", "hub")},
    ),
    (
        "download.py",
        "from huggingface_hub import snapshot_download, hf_hub_download\n"
        'path = snapshot_download("Qwen/Qwen2.5-0.5B", revision="main")\n'
        'cfg = hf_hub_download(repo_id="google-bert/bert-base-uncased", filename="config.json")\n'
        'data = hf_hub_download(repo_id="klue/klue", filename="x.json", repo_type="dataset")\n',
        {("Qwen/Qwen2.5-0.5B", "hub"), ("google-bert/bert-base-uncased", "hub")},
    ),
    (
        "timm_load.py",
        'import timm\nm = timm.create_model("hf-hub:timm/resnet50.a1_in1k", pretrained=True)\n'
        'm2 = timm.create_model("resnet18")\n',
        {("timm/resnet50.a1_in1k", "hub")},
    ),
    (
        "commented.py",
        '# model = AutoModel.from_pretrained("should/not-count")\nprint("AutoModel.from_pretrained(\\"nor/this\\")")\n',
        set(),
    ),
    (
        "dynamic.py",
        'model = AutoModel.from_pretrained(f"{org}/{name}")\nother = AutoModel.from_pretrained(args.model)\n',
        set(),
    ),
    (
        "local_dir.py",
        'model = AutoModelForSequenceClassification.from_pretrained("./models/ko-intent-clf")\n',
        {("./models/ko-intent-clf", "local")},
    ),
    (
        "serve.sh",
        "#!/bin/sh\n# vllm serve commented/out\nvllm serve meta-llama/Llama-3.1-8B-Instruct --port 8000 \\\n  --max-model-len 8192\n",
        {("meta-llama/Llama-3.1-8B-Instruct", "hub")},
    ),
    (
        "run_api.sh",
        "python -m vllm.entrypoints.openai.api_server --model mistralai/Mistral-7B-Instruct-v0.3 --dtype auto\n",
        {("mistralai/Mistral-7B-Instruct-v0.3", "hub")},
    ),
    (
        "Dockerfile",
        "FROM ghcr.io/huggingface/text-generation-inference:2.4\nENV MODEL_ID=LGAI-EXAONE/EXAONE-3.0-7.8B-Instruct\n"
        'CMD ["--model-id", "LGAI-EXAONE/EXAONE-3.0-7.8B-Instruct"]\n',
        {("LGAI-EXAONE/EXAONE-3.0-7.8B-Instruct", "hub")},
    ),
    (
        "docker-compose.yml",
        "services:\n  tgi:\n    image: ghcr.io/huggingface/text-generation-inference:2.4\n"
        "    command: --model-id HuggingFaceH4/zephyr-7b-beta --num-shard 1\n"
        '  vllm:\n    image: vllm/vllm-openai:latest\n    command: ["--model", "Qwen/Qwen2.5-7B-Instruct"]\n',
        {("HuggingFaceH4/zephyr-7b-beta", "hub"), ("Qwen/Qwen2.5-7B-Instruct", "hub")},
    ),
    (
        "k8s/deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: tgi\n          env:\n            - name: MODEL_ID\n              value: upstage/solar-pro-preview-instruct\n"
        '          args: ["--port", "80"]\n',
        {("upstage/solar-pro-preview-instruct", "hub")},
    ),
    (
        "configs/train.yaml",
        "model_name_or_path: beomi/Llama-3-Open-Ko-8B\ndataset: nlpai-lab/kullm-v2\nlearning_rate: 2e-5\nmodel: gpt\n",
        {("beomi/Llama-3-Open-Ko-8B", "hub")},
    ),
    (
        "Modelfile",
        "FROM ./ko-llama-q4.gguf\nPARAMETER temperature 0.7\nSYSTEM 당신은 친절한 상담원입니다.\n",
        {("./ko-llama-q4.gguf", "local")},
    ),
    (
        "ollama/Modelfile",
        "FROM llama3.2:3b\nTEMPLATE {{ .Prompt }}\n",
        {("llama3.2:3b", "ollama")},
    ),
    (
        "hf.Modelfile",
        "FROM hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M\n",
        {("bartowski/Llama-3.2-1B-Instruct-GGUF", "hub")},
    ),
    (
        "setup.sh",
        "ollama pull nomic-embed-text\nollama run qwen2.5:14b\n",
        {("nomic-embed-text", "ollama"), ("qwen2.5:14b", "ollama")},
    ),
    (
        ".env",
        "OPENAI_API_KEY=\nMODEL_ID=naver-hyperclovax/HyperCLOVAX-SEED-Text-Instruct-1.5B\nMODEL=gpt-4o\n",
        {("naver-hyperclovax/HyperCLOVAX-SEED-Text-Instruct-1.5B", "hub")},
    ),
    (
        "llama_server.sh",
        "./llama-server --hf-repo ggml-org/gemma-3-1b-it-GGUF --port 8080\n",
        {("ggml-org/gemma-3-1b-it-GGUF", "hub")},
    ),
    (
        "url_ref.py",
        'model = AutoModel.from_pretrained("https://huggingface.co/skt/kogpt2-base-v2")\n',
        {("skt/kogpt2-base-v2", "hub")},
    ),
]


@pytest.mark.parametrize(("path", "text", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_reference_corpus(path: str, text: str, expected: set[tuple[str, str]]) -> None:
    found = {(r.id, r.source) for r in find_references(path, text) if not r.dataset}
    assert found == expected


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 25
    assert sum(len(e) for _p, _t, e in CORPUS) >= 35


def test_line_numbers_and_frameworks() -> None:
    refs = find_references("serve.sh", CORPUS[21][1])
    assert [(r.id, r.line, r.framework) for r in refs] == [("meta-llama/Llama-3.1-8B-Instruct", 3, "vllm")]
    refs = find_references("k8s/deploy.yaml", CORPUS[25][1])
    assert refs[0].line == 10 and refs[0].framework == "env"


def test_datasets_are_told_apart() -> None:
    refs = find_references("download.py", CORPUS[16][1])
    assert {(r.id, r.dataset) for r in refs if r.dataset} == {("klue/klue", True)}
    refs = find_references(
        "data.py",
        'from datasets import load_dataset\nds = load_dataset("nsmc")\nj = load_dataset("json", data_files="x")\n',
    )
    assert [(r.id, r.dataset) for r in refs] == [("nsmc", True)]


def test_notebook_cells() -> None:
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ['AutoModel.from_pretrained("doc/only")']},
            {
                "cell_type": "code",
                "source": ["!ollama pull phi3\n", 'm = AutoModel.from_pretrained("klue/bert-base")\n'],
            },
        ]
    }
    found = {(r.id, r.source) for r in find_references("demo.ipynb", json.dumps(nb))}
    assert found == {("klue/bert-base", "hub"), ("phi3", "ollama")}


def test_hostile_input_does_not_raise() -> None:
    assert find_references("x.py", "def (:\n") == []
    assert find_references("x.yaml", "a: [unclosed\n") == []
    assert find_references("x.py", "x = " + "(" * 500 + ")" * 500) == []
    assert find_references("x.ipynb", "{not json") == []
