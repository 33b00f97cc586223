from unittest.mock import patch

from openai import OpenAI


def check_reply():
    with patch("openai.resources.chat.Completions.create") as fake:
        fake.return_value = {"choices": []}
        client = OpenAI(api_key="sk-test")
        assert client is not None
