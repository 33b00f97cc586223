from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="Qwen/Qwen2.5-7B-Instruct", base_url="http://vllm:8000/v1", api_key="EMPTY")
