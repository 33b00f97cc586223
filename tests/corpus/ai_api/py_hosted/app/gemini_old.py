import google.generativeai as genai

genai.configure(api_key="k")
model = genai.GenerativeModel("gemini-1.5-pro")
