from openai import AsyncOpenAI

def make(host: str = "http://10.0.3.17:8000/v1"):
    return AsyncOpenAI(base_url=host)
