"""A first-party module that shadows the SDK name."""

def Anthropic():
    return None
