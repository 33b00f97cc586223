from openai import OpenAI

# OPENAI_BASE_URL comes from .env (the vLLM service of docker-compose.yml)
client = OpenAI()
