"""Locust file for the Perf Budgets fixtures (run against the local test server only)."""
from locust import HttpUser, between, task


class ApiUser(HttpUser):
    wait_time = between(0.05, 0.2)

    @task(3)
    def slow(self):
        self.client.get("/api/slow")

    @task(2)
    def decide(self):
        self.client.post("/api/decide", json={"amount": 42})

    @task(2)
    def fail(self):
        self.client.get("/api/fail")  # every 20th request answers 500 -> Locust failure
