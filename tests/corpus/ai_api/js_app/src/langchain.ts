import { ChatOpenAI } from "@langchain/openai";

const llm = new ChatOpenAI({ model: "qwen", configuration: { baseURL: "http://vllm:8000/v1" } });
