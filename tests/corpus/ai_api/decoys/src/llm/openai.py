def helper():
    return "local helper module that happens to be called openai"
