import litellm

def ask(model_name: str):
    return litellm.completion(model=model_name, messages=[])
