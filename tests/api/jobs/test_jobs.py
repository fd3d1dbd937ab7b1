"""The job queue over HTTP, the dashboard and the CLI: an operator lists its tenant's dead letters (paged), retries
or deletes one; other roles and other tenants are refused and change nothing."""

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from flexhub.cli.main import app
from flexhub.db import jobs
from flexhub.db.jobs import queue
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.snapshots import audit

JOBS = "/api/v1/jobs"


def dead_jobs(api: Api, tenant_id, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """`count` jobs of the tenant, each failed for good."""
    with api.hub.uow() as uow:
        jobs.enqueue(uow.connection, [jobs.NewJob("test.echo", {"n": n}, tenant_id=tenant_id) for n in range(count)])
        for job in jobs.claim(uow.connection, ["test.echo"], "w", lease_s=30, limit=count):
            queue.fail(uow.connection, job, "HTTP 410", max_attempts=5, first_s=1, cap_s=10, give_up=True)
        uow.commit()
    return [j["id"] for j in api.get(JOBS, state="dead", limit="500")["jobs"]]


def job_rows(api: Api) -> list:
    with api.hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(jobs.QueuedJob).order_by(jobs.QueuedJob.id)))


def test_an_operator_pages_through_dead_letters_then_retries_and_deletes(api: Api) -> None:
    ids = dead_jobs(api, api.tenant.admin.tenant_id, 7)
    first = api.get(JOBS, role="operator", state="dead", limit="5")
    second = api.get(JOBS, role="operator", state="dead", limit="5", offset="5")
    assert (first["total"], len(first["jobs"]), len(second["jobs"])) == (7, 5, 2)
    assert {j["id"] for j in first["jobs"] + second["jobs"]} == set(ids)
    assert first["jobs"][0]["last_error"] == "HTTP 410" and first["jobs"][0]["attempts"] == 1

    retried = api.client.post(f"{JOBS}/{ids[0]}/retry", headers=api.headers("operator"))
    assert retried.json() == {"id": ids[0], "state": "pending"}
    assert api.get(f"{JOBS}/{ids[0]}")["attempts"] == 0
    assert_error(api.client.post(f"{JOBS}/{ids[0]}/retry", headers=api.headers()), 409, "jobs.not_dead")
    assert_error(api.client.delete(f"{JOBS}/{ids[0]}", headers=api.headers()), 409, "jobs.not_dead")

    assert api.client.delete(f"{JOBS}/{ids[1]}", headers=api.headers()).json() == {"id": ids[1], "deleted": True}
    assert api.get(JOBS, state="dead")["total"] == 5 and api.get(JOBS)["total"] == 6
    assert [e.action for e in audit(api.hub) if e.action.startswith("job.")] == ["job.retry", "job.delete"]


def test_viewers_partners_and_other_tenants_see_and_change_nothing(api: Api) -> None:
    other = api.add_tenant("globex")
    assert dead_jobs(api, other.admin.tenant_id, 1) == []  # another tenant's job: not listed here
    (their_job,) = job_rows(api)
    before = (job_rows(api), audit(api.hub))

    for role in ("viewer", "partner"):
        assert_error(api.client.get(JOBS, headers=api.headers(role)), 403, "auth.forbidden")
        assert_error(api.client.post(f"{JOBS}/{their_job.id}/retry", headers=api.headers(role)), 403, "auth.forbidden")
    assert_error(api.client.post(f"{JOBS}/{their_job.id}/retry", headers=api.headers()), 404, "jobs.not_found")
    assert_error(api.client.delete(f"{JOBS}/{their_job.id}", headers=api.headers()), 404, "jobs.not_found")
    assert api.client.get(JOBS, headers=other.headers()).json()["total"] == 1
    assert (job_rows(api), audit(api.hub)) == before


def test_the_dashboard_lists_dead_letters_with_buttons_an_operator_may_use(api: Api) -> None:
    ids = dead_jobs(api, api.tenant.admin.tenant_id, 2)
    api.client.post("/login", data={"api_key": api.tenant.tokens["operator"]}, follow_redirects=False)
    page = api.client.get("/jobs?state=dead")
    assert page.status_code == 200 and all(f'data-job="{i}"' in page.text for i in ids)
    assert f'action="/jobs/{ids[0]}/retry"' in page.text and f'action="/jobs/{ids[1]}/delete"' in page.text
    assert api.client.post(f"/jobs/{ids[0]}/retry", follow_redirects=False).status_code == 303
    assert api.client.post(f"/jobs/{ids[1]}/delete", follow_redirects=False).status_code == 303
    assert [(r.id.hex, r.state) for r in job_rows(api)] == [(ids[0].replace("-", ""), "pending")]

    api.client.post("/logout")
    api.client.post("/login", data={"api_key": api.tenant.tokens["viewer"]}, follow_redirects=False)
    assert "/jobs" not in api.client.get("/").text
    assert api.client.get("/jobs").status_code == 403


def test_the_cli_lists_retries_and_deletes(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", api.hub.settings.database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    ids = dead_jobs(api, api.tenant.admin.tenant_id, 2)
    listed = CliRunner().invoke(app, ["jobs", "list", "--state", "dead", "--tenant", "acme"])
    assert listed.exit_code == 0, listed.output
    assert "2 of 2" in listed.output and "HTTP 410" in listed.output

    assert CliRunner().invoke(app, ["jobs", "retry", ids[0]]).exit_code == 0
    assert CliRunner().invoke(app, ["jobs", "delete", ids[1]]).exit_code == 0
    refused = CliRunner().invoke(app, ["jobs", "delete", ids[0]])
    assert refused.exit_code == 1 and "jobs.not_dead" in refused.output
    assert [r.state for r in job_rows(api)] == ["pending"]
