def to_openai_messages(turns):
    """Format turns the way OpenAI-style chat templates expect."""
    return [{"role": r, "content": c} for r, c in turns]
