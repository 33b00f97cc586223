from huggingface_hub import InferenceClient

tgi = InferenceClient(model="http://tgi:8080")
local = InferenceClient(base_url="http://localhost:8080/v1/")
