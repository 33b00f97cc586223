from fireworks.client import Fireworks

client = Fireworks(api_key="k")
