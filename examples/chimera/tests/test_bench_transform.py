"""pytest-benchmark of the pure transform (perf/bench.mjs: --benchmark-json, bounded rounds)."""
from app.transform import transform_payload

PAYLOAD = {"Provider": "Anthropic", "Model-Name": "claude", "empty": "", "options": {"Max-Tokens": 512, "none": None}, "messages": [{"role": "user"}] * 20}


def test_transform_payload(benchmark):
    result = benchmark(transform_payload, PAYLOAD)
    assert result["provider"] == "anthropic"
