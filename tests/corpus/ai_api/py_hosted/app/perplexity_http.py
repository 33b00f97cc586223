import requests

def search(q):
    return requests.post("https://api.perplexity.ai/chat/completions", json={"model": "sonar", "q": q})
