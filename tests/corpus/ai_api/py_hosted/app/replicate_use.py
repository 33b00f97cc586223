import replicate

output = replicate.run("meta/llama-3-70b-instruct", input={"prompt": "hi"})
