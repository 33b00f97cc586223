import axios from "axios";

const GROQ = `https://api.groq.com/openai/v1/chat/completions`;
export const ask = (body: unknown) => axios.post(GROQ, body);
