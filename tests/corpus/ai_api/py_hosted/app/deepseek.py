from openai import OpenAI

DEEPSEEK = "https://api.deepseek.com"
client = OpenAI(base_url=DEEPSEEK, api_key="k")
