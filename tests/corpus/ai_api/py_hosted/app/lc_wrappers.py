from langchain_openai import ChatOpenAI
from langchain_anthropic import ChatAnthropic
from llama_index.llms.openai import OpenAI as LIOpenAI

GROQ_URL = "https://api.groq.com/openai/v1"
fast = ChatOpenAI(model="llama-3.1-8b-instant", base_url=GROQ_URL)
smart = ChatAnthropic(model="claude-3-opus-20240229")
li = LIOpenAI(model="gpt-4o")
