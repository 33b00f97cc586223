import vertexai
from vertexai.generative_models import GenerativeModel

vertexai.init(project="p", location="us-central1")
model = GenerativeModel("gemini-1.5-flash")
