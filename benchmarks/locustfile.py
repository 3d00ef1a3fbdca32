"""The simulated users of the load benchmark, for Locust (``benchmarks/bench_load.py`` runs it).

Knows nothing of Django: ``bench_load.py`` writes a plan (JSON, named by the ``LOAD_PLAN``
environment variable) with each persona's account and the pages of their day, the addresses
worked out from the database; every request is named by the page it is (``reviews:care-record``),
so that the figures are per page, not per child.

- An IRO opens their home page, their caseload and conferences, a child's care record, a review
  and the consultations before a meeting, with a think time of 2 to 8 seconds.
- Business support work through what is to book and to distribute, and a family's page.
- A manager reads the dashboards, caseloads and the QA board.
- A REST client (the council's BI tool) asks the figures API for a year's headline figures at
  a steady rate, with its token: the issue's 20 requests a second from five clients.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, constant_throughput, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Staff(HttpUser):
    abstract = True
    persona = ""
    wait_time = between(2, 8)

    def on_start(self) -> None:
        account = PLAN["accounts"][self.persona]
        page = self.client.get("/sign-in/", name="login")
        token = _CSRF.search(page.text)
        signed_in = self.client.post(
            "/sign-in/",
            data={
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": token[1] if token else "",
            },
            headers={"Referer": f"{self.host}/sign-in/"},
            name="login (POST)",
            allow_redirects=False,
        )
        if signed_in.status_code != 302:
            raise RuntimeError(f"{account['username']} could not sign in: {signed_in.status_code}")

    @task
    def open_a_page(self) -> None:
        name, path = random.choice(PLAN["pages"][self.persona])
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")


class Iro(_Staff):
    persona = "iro"
    weight = 10


class BusinessSupport(_Staff):
    persona = "support"
    weight = 6


class Manager(_Staff):
    persona = "manager"
    weight = 4


class ApiClient(HttpUser):
    """Four requests a second each; five of them make the issue's 20 a second."""

    weight = 5
    wait_time = constant_throughput(4)

    @task
    def figures(self) -> None:
        name, path = random.choice(PLAN["api"])
        with self.client.get(
            path, name=name, headers={"Authorization": f"Token {PLAN['api_token']}"}, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
