from openai import OpenAI

def summarize(client: OpenAI, text: str) -> str:
    return text
