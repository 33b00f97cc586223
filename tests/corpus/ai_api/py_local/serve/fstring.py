from openai import OpenAI

HOST = "gpu-box.local"
PORT = 8000
client = OpenAI(base_url=f"http://{HOST}:{PORT}/v1")
