from langchain_community.chat_models import ChatClovaX

llm = ChatClovaX(model="HCX-003")
