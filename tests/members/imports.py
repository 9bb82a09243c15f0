"""An import as the page runs it: each step (the check, the write) is a job the worker runs, and the page that
watches it goes where the job says when it ends (`HX-Redirect`, with the job's message)."""

from urllib.parse import parse_qs, urlparse

from tests.jobs.helpers import run_worker


def job_of(url: str) -> int:
    return int(parse_qs(urlparse(url).query)["job"][0])


def follow_job(client, url: str):
    """Let the worker run the job the page at `url` follows, then do what the page does: poll once, and go where
    the job sends the watcher (the report, or the member list with the message)."""
    run_worker()
    p = client.get(f"/jobs/{job_of(url)}/progress/", HTTP_HX_REQUEST="true")
    if p.status_code == 204 and p.get("HX-Redirect"):
        return client.get(p["HX-Redirect"])
    return client.get(url)


def step(client, org: str, data: dict):
    """POST a step of the import page (upload, re-read, confirm); the response after its job has run."""
    r = client.post(f"/members/import/?org={org}", {"org": org, **data})
    assert r.status_code == 302, (r.status_code, r.content[:500])
    if "job=" not in r["Location"]:  # refused before any job (a second confirmation, an abandon): the page
        return client.get(r["Location"])
    return follow_job(client, r["Location"])


def token_in(html: str) -> str:
    return html.split('name="token" value="')[1].split('"')[0]
