from langchain_upstage import ChatUpstage

llm = ChatUpstage(model="solar-pro")
