import { generateText } from "ai";
import { openai, createOpenAI } from "@ai-sdk/openai";
import { anthropic } from "@ai-sdk/anthropic";

const local = createOpenAI({ baseURL: "http://localhost:11434/v1" });

export async function run() {
  await generateText({ model: openai("gpt-4o"), prompt: "hi" });
  await generateText({ model: local("qwen2.5"), prompt: "hi" });
}
