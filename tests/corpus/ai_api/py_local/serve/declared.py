from openai import OpenAI

client = OpenAI(base_url="https://gpu.hanbit-ai.example/v1")
