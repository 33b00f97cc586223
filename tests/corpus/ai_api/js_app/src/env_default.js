const { OpenAI } = require("openai");

const llm = new OpenAI({ baseURL: process.env.LLM_URL || "http://127.0.0.1:11434/v1" });
module.exports = llm;
