from openai import OpenAI

client = OpenAI(base_url="http://localhost:8000/v1")
