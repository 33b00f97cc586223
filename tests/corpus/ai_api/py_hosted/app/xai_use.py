from xai_sdk import Client

client = Client()
