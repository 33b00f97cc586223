import OpenAI from "openai";

export const client = new OpenAI({ baseURL: process.env.REMOTE_LLM_URL });
