from mistralai import Mistral

client = Mistral(api_key="k")
