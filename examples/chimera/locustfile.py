"""Locust load for Chimera: health checks, provider listings and transforms, no think time."""
from locust import HttpUser, constant, task


class ChimeraUser(HttpUser):
    wait_time = constant(0)

    @task(2)
    def health(self):
        self.client.get("/health")

    @task(3)
    def providers(self):
        self.client.get("/providers")

    @task(5)
    def transform(self):
        self.client.post("/transform", json={"Provider": "Mistral", "Model-Name": "large", "prompt": "hello"})
