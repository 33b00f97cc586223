import requests

URL = "https://clovastudio.stream.ntruss.com/testapp/v1/chat-completions/HCX-003"

def ask(text):
    return requests.post(URL, headers={"X-NCP-CLOVASTUDIO-API-KEY": "k"}, json={"messages": []})
