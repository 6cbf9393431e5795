"""Lexecon (FastAPI): policy decisions with an audit trail. perf/bench.mjs runs it with uvicorn."""
import asyncio
import random

from fastapi import FastAPI

app = FastAPI(title="lexecon")
POLICIES = [{"id": f"pol-{i}", "rule": "allow" if i % 3 else "deny"} for i in range(12)]
DECISIONS: list = []


@app.get("/health")
async def health() -> dict:
    return {"status": "ok"}


@app.post("/api/decide")
async def decide(request: dict) -> dict:
    # Evaluates every policy against the request, then writes the audit record synchronously:
    # ~150-320 ms, over the 200 ms p95 decision budget.
    await asyncio.sleep(random.uniform(0.15, 0.32))
    decision = {"id": len(DECISIONS) + 1, "subject": request.get("subject"), "effect": "allow"}
    DECISIONS.append(decision)
    return decision


@app.get("/api/decisions")
async def list_decisions() -> list:
    await asyncio.sleep(random.uniform(0.02, 0.06))
    return DECISIONS[-50:]


@app.get("/api/policies")
async def list_policies() -> list:
    await asyncio.sleep(random.uniform(0.01, 0.03))
    return POLICIES


@app.get("/api/audit-logs")
async def audit_logs() -> dict:
    await asyncio.sleep(random.uniform(0.04, 0.12))
    return {"entries": len(DECISIONS)}
