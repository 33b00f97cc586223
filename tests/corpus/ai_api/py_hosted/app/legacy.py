import openai

openai.api_key = "secret"
resp = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
