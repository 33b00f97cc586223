import litellm

def ask():
    return litellm.completion(model="anthropic/claude-3-haiku-20240307", messages=[])

def ask_gpt():
    return litellm.completion(model="gpt-4o-mini", messages=[])
