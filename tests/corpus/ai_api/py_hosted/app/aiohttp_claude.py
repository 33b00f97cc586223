import aiohttp

async def call(session: aiohttp.ClientSession):
    return await session.post(f"https://api.anthropic.com/v1/messages", json={})
