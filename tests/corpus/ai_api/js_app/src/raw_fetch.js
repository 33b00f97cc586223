export async function ask(body) {
  // plain HTTPS call, no SDK
  return fetch("https://api.openai.com/v1/chat/completions", { method: "POST", body });
}
