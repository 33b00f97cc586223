import openai
print "calling the API"
openai.api_base = "https://api.openai.com/v1"
