import anthropic

client = anthropic.Anthropic()
msg = client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=10, messages=[])
