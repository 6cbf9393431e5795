"""Locust load for Lexecon, weighted like production traffic: mostly decisions."""
from locust import HttpUser, constant, task


class LexeconUser(HttpUser):
    wait_time = constant(0)

    @task(5)
    def decide(self):
        self.client.post("/api/decide", json={"subject": "user-42", "action": "read", "resource": "doc-7"})

    @task(3)
    def decisions(self):
        self.client.get("/api/decisions")

    @task(1)
    def policies(self):
        self.client.get("/api/policies")

    @task(1)
    def audit_logs(self):
        self.client.get("/api/audit-logs")
