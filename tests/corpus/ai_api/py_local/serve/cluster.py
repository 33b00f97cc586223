from langchain_openai import ChatOpenAI

SVC = "http://qwen-serving.llm.svc.cluster.local:8000/v1"
INTERNAL = "https://inference.corp.internal/v1"
a = ChatOpenAI(openai_api_base=SVC)
b = ChatOpenAI(openai_api_base=INTERNAL)
