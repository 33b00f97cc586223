from together import Together

client = Together()
