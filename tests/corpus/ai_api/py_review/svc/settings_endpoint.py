from openai import OpenAI
from .config import settings

client = OpenAI(base_url=settings.llm_url)
