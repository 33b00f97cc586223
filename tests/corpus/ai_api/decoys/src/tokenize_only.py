import tiktoken
from transformers import AutoTokenizer

enc = tiktoken.get_encoding("cl100k_base")
tok = AutoTokenizer.from_pretrained("Qwen/Qwen2.5-7B-Instruct")
