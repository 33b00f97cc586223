from openai import OpenAI

def build(**options):
    return OpenAI(**options)
