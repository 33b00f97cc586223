import os
from openai import OpenAI

client = OpenAI(base_url=os.environ["INFERENCE_URL"])
