from .openai import helper
from src.llm.openai_utils_missing import nothing  # noqa
