import importlib

sdk = importlib.import_module("anthropic")
client = sdk.Anthropic()
