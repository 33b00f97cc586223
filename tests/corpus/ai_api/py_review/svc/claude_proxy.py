from anthropic import Anthropic

client = Anthropic(base_url="http://localhost:4000")
