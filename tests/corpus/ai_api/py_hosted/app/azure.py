from openai import AzureOpenAI

client = AzureOpenAI(azure_endpoint="https://contoso.openai.azure.com", api_version="2024-06-01")
