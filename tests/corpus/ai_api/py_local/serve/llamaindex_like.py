from llama_index.llms.openai_like import OpenAILike

llm = OpenAILike(model="qwen", api_base="http://192.168.1.20:8000/v1", is_chat_model=True)
