# from openai import OpenAI
# client = OpenAI(base_url="https://api.openai.com/v1")
"""Compare with api.anthropic.com, which we do not use."""

def answer(q):
    """Earlier versions called https://api.openai.com/v1/chat/completions."""
    return q.upper()
