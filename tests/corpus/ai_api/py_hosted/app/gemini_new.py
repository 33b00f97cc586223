from google import genai

client = genai.Client()
