import openai as oa

def make():
    return oa.AsyncOpenAI(api_key="x")
