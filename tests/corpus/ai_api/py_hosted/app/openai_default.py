"""Chat with the default OpenAI endpoint."""
from openai import OpenAI

client = OpenAI()
reply = client.chat.completions.create(model="gpt-4o", messages=[])
