from openai import OpenAI

client = OpenAI(base_url="https://llm.some-cloud-gpu.com/v1")
