import litellm

resp = litellm.completion(model="ollama/llama3.1", messages=[], api_base="http://localhost:11434")
