"""Chimera (FastAPI): provider routing for model requests. perf/bench.mjs runs it with uvicorn."""
import asyncio
import itertools
import random

from fastapi import FastAPI, HTTPException

from app.transform import transform_payload

app = FastAPI(title="chimera")
PROVIDERS = ["openai", "anthropic", "mistral", "local"]
_requests = itertools.count(1)


@app.get("/health")
async def health() -> dict:
    return {"status": "ok"}


@app.get("/providers")
async def providers() -> dict:
    # Asks the provider registry for live capacity on every call: ~80-150 ms, over the 100 ms p50.
    await asyncio.sleep(random.uniform(0.08, 0.15))
    return {"providers": PROVIDERS}


@app.post("/transform")
async def transform(payload: dict) -> dict:
    await asyncio.sleep(random.uniform(0.1, 0.3))  # the provider call
    if next(_requests) % 100 == 0:  # 1% of calls: the provider times out (budget: 2%)
        raise HTTPException(status_code=502, detail="provider timeout")
    return transform_payload(payload)
