import cohere

co = cohere.ClientV2()
