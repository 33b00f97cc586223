import urllib.request

req = urllib.request.Request("https://api.openai.com/v1/models")
