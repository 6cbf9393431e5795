"""Chimera's payload transform: normalise keys, drop empty values, route by provider."""


def transform_payload(payload: dict) -> dict:
    out = {}
    for key, value in payload.items():
        if value in (None, "", [], {}):
            continue
        norm = key.strip().lower().replace("-", "_")
        out[norm] = transform_payload(value) if isinstance(value, dict) else value
    out["provider"] = str(out.get("provider", "openai")).lower()
    return out
