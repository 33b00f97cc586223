import type { ChatCompletion } from "openai/resources";
// const client = new OpenAI(); fetch("https://api.openai.com/v1/chat/completions")
export type Reply = ChatCompletion;
