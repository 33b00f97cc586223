PROVIDERS = ["openai", "anthropic", "gemini"]
MODEL = "gpt-4o"
anthropic_key_env = "ANTHROPIC_API_KEY"
