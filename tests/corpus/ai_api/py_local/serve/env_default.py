import os
from openai import OpenAI

BASE_URL = os.getenv("LLM_BASE_URL", "http://127.0.0.1:8000/v1")

def client():
    return OpenAI(base_url=BASE_URL, api_key=os.environ.get("LLM_KEY", "EMPTY"))
