import httpx

async def solar(payload):
    async with httpx.AsyncClient() as c:
        return await c.post("https://api.upstage.ai/v1/chat/completions", json=payload)
