"""Soak and scale: `summarizer serve` replicas on one PostgreSQL, one of them killed with SIGKILL every K briefs.

    python -m bench --soak [--replicas 3] [--briefs 1000] [--kill-every 100] [--scale 1,2,4] [--scale-briefs 300]

Everything runs on this machine, on loopback: a PostgreSQL server (`--pg-url`, SUMMARIZER_TEST_PG_URL, or a
throwaway one started from the installed binaries, fsync on), the tests' scripted stand-in model in a process
of its own (it marks every sentence a fact, at once), a callback receiver, and the replicas.

The soak phase submits `--briefs` briefs of two articles each, each with a callback URL and an
Idempotency-Key, from `--clients` client threads that send each POST to a random replica; a client that
gets no answer (its replica was killed, or is restarting) sends the same request with the same key to
another. Every `--kill-every` accepted briefs, a random replica is killed with SIGKILL and started again.
Then it waits (at most `--max-seconds` a phase) until every accepted brief is finished and every callback
settled, and counts, from the database, the replicas' logs and the receiver:

- submitted: briefs a replica accepted (202, or 200 for a resent key); lost: accepted, never finished;
- done, failed; finished twice: briefs that a replica's log says it finished more than once, over all replicas;
- duplicate jobs: briefs with more than one job in the database;
- callbacks delivered more than once: jobs whose callback the receiver got more than once;
- briefs per minute: done briefs over the time from the first job's creation to the last one's finish.

Each `--scale` phase runs that many replicas with no kills, on `--scale-briefs` briefs, for its briefs per
minute. Every phase has a new schema of its own. It prints a summary and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import pgserver  # noqa: E402 (the tests' throwaway PostgreSQL, stdlib only)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def standin_main() -> None:
    """The stand-in model, in a process of its own: prints its URL, serves until its stdin closes."""
    import importlib.util

    from standin import serve

    spec = importlib.util.spec_from_file_location("ci_standin", ROOT / ".ci" / "standin.py")
    assert spec is not None and spec.loader is not None
    ci = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ci)
    with serve([], answer=ci.every_sentence) as (url, _):
        print(url, flush=True)
        sys.stdin.read()


@contextmanager
def standin_process() -> Iterator[str]:
    code = "from bench.soak import standin_main; standin_main()"
    with subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        try:
            yield proc.stdout.readline().strip()
        finally:
            proc.stdin.close()
            proc.wait(timeout=10)


class Receiver:
    """The callback receiver: counts the POSTs per job, and those whose Idempotency-Key is not the job's id."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()
        self.first_post: dict[str, float] = {}  # job id -> when its callback first arrived (monotonic)
        self.bad_keys = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                job = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                with receiver._lock:
                    receiver.posts[job["id"]] += 1
                    receiver.first_post.setdefault(job["id"], time.monotonic())
                    receiver.bad_keys += self.headers.get("idempotency-key") != job["id"]
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with self._lock:
            self.posts, self.first_post, self.bad_keys = Counter(), {}, 0

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Replica:
    """One `summarizer serve` process; each start writes a log of its own."""

    name: str
    command: list[str]
    env: dict[str, str]
    workdir: Path
    port: int = field(default_factory=free_port)
    logs: list[Path] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.workdir / f"{self.name}-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [*self.command, "--port", str(self.port)], stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT
            )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.logs[-1].read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f}s")


def brief_request(n: int, callback: str) -> dict[str, Any]:
    """Two short reports of one made-up fire that differ on a count and a day (so consensus has work)."""
    buses, day = 10 + n % 40, ("Friday", "Monday")
    articles = [
        {
            "id": f"s{n}-{side}",
            "text": f"Fire damaged {buses + i * 2} buses at the Kessel Road depot on Tuesday night.\n"
            f"Crews from three stations fought the blaze for {2 + i} hours.\n"
            f"The depot will reopen on {day[i]}, the operator said in update {n}.\n",
        }
        for i, side in enumerate("ab")
    ]
    return {"articles": articles, "callback_url": f"{callback}/briefs-done"}


@dataclass
class Submissions:
    accepted: dict[int, str] = field(default_factory=dict)  # brief number -> job id
    replayed: int = 0  # 200: a resent key answered with the job it had made
    resent: int = 0  # POSTs sent again after no answer or a 5xx
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def submit_all(
    replicas: list[Replica], briefs: int, clients: int, callback: str, deadline: float, on_accept: Any
) -> Submissions:
    """POST every brief with its own Idempotency-Key; resend the same request to another replica until
    one accepts it (or the deadline passes)."""
    done = Submissions()
    tag = uuid.uuid4().hex[:8]

    def client(numbers: list[int]) -> None:
        with httpx.Client(timeout=10) as http:
            for n in numbers:
                body, key = brief_request(n, callback), {"idempotency-key": f"soak-{tag}-{n}"}
                while time.monotonic() < deadline:
                    try:
                        answer = http.post(f"{random.choice(replicas).url}/v1/briefs", json=body, headers=key)
                    except httpx.TransportError:
                        answer = None
                    if answer is not None and answer.status_code in (200, 202):
                        with done.lock:
                            done.accepted[n] = answer.json()["id"]
                            done.replayed += answer.status_code == 200
                            count = len(done.accepted)
                        on_accept(count)
                        break
                    if answer is not None and answer.status_code < 500:
                        done.refused.append(f"{answer.status_code} {answer.text[:200]}")
                        break
                    with done.lock:
                        done.resent += 1
                    time.sleep(0.05)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, [list(range(i, briefs, clients)) for i in range(clients)]))
    return done


class Chaos:
    """Kills a random replica with SIGKILL every `every` accepted briefs, and starts it again at once."""

    def __init__(self, replicas: list[Replica], every: int | None, rng: random.Random) -> None:
        self.replicas, self.every, self.rng = replicas, every, rng
        self.kills: list[tuple[str, float]] = []  # (replica, when: monotonic)
        self._due: queue.Queue[int | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def accepted(self, count: int) -> None:
        if self.every and count % self.every == 0:
            self._due.put(count)

    def _run(self) -> None:
        while self._due.get() is not None:
            victim = self.rng.choice(self.replicas)
            victim.kill()
            self.kills.append((victim.name, time.monotonic()))
            victim.start()

    def close(self) -> None:
        self._due.put(None)
        self._thread.join(timeout=30)


def new_schema(server_url: str) -> tuple[str, str]:
    import psycopg

    name = f"soak_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return name, pgserver.with_schema(server_url, name)


def drop_schema(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def settle(db_url: str, deadline: float) -> None:
    """Wait until no job is queued or running and no callback is pending (or the deadline passes)."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT COUNT(*) FILTER (WHERE status IN ('queued', 'running')),"
                " COUNT(*) FILTER (WHERE callback_state = 'pending') FROM jobs"
            ).fetchone()
            if row is not None and row[0] == 0 and row[1] == 0:
                return
            time.sleep(0.5)


@dataclass
class Phase:
    replicas: int
    briefs: int
    kill_every: int | None
    clients: int
    lease: float
    workers: int
    max_seconds: float


def run_phase(phase: Phase, server_url: str, model_url: str, receiver: Receiver, rng: random.Random) -> dict[str, Any]:
    schema, db_url = new_schema(server_url)
    receiver.reset()
    workdir = Path(tempfile.mkdtemp(prefix="summarizer-soak-"))
    command = [
        *(sys.executable, "-m", "summarizer", "serve", "--db", db_url, "--base-url", model_url),
        *("--model", "standin", "--dialect", "llamacpp", "--no-cache", "--timeout", "30"),
        *("--workers", str(phase.workers), "--lease", f"{phase.lease:g}", "--max-queued", "1000000"),
        *("--callback-origin", receiver.url, "--callback-timeout", "2"),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env["SUMMARIZER_CACHE_DIR"] = str(workdir / "cache")
    replicas = [Replica(f"replica{i}", command, env, workdir) for i in range(phase.replicas)]
    chaos = Chaos(replicas, phase.kill_every, rng)
    try:
        for r in replicas:
            r.start()
        for r in replicas:
            r.wait_ready()
        deadline = time.monotonic() + phase.max_seconds
        sent = submit_all(replicas, phase.briefs, phase.clients, receiver.url, deadline, chaos.accepted)
        chaos.close()
        settle(db_url, deadline)
        return count(phase, db_url, sent, replicas, receiver, chaos.kills)
    finally:
        chaos.close()
        for r in replicas:
            r.stop()
        drop_schema(server_url, schema)


def count(
    phase: Phase,
    db_url: str,
    sent: Submissions,
    replicas: list[Replica],
    receiver: Receiver,
    kills: list[tuple[str, float]],
) -> dict[str, Any]:
    """The phase's figures, from the database, the replicas' logs and the callback receiver."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        rows = conn.execute("SELECT id, status, request, created, updated, callback_attempts FROM jobs").fetchall()
    jobs = {r[0]: r for r in rows}
    accepted = set(sent.accepted.values())
    per_brief = Counter(json.loads(r[2])["articles"][0]["id"].split("-")[0] for r in rows)
    finished = Counter()
    for r in replicas:
        for log in r.logs:
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith("summarizer: brief ") and " done in " in line:
                    finished[line.split()[2]] += 1
    done = [jobs[j] for j in accepted if j in jobs and jobs[j][1] == "done"]
    span = max((j[4] for j in done), default=0.0) - min((j[3] for j in done), default=0.0)
    return {
        "replicas": phase.replicas,
        "briefs": phase.briefs,
        "kills": len(kills),
        "not_accepted": phase.briefs - len(sent.accepted),
        "submitted": len(sent.accepted),
        "answered_200_for_a_resent_key": sent.replayed,
        "posts_resent": sent.resent,
        "refused": sent.refused[:5],
        "done": len(done),
        "failed": sum(1 for j in accepted if j in jobs and jobs[j][1] == "failed"),
        "lost": sum(1 for j in accepted if j not in jobs or jobs[j][1] in ("queued", "running")),
        "finished_twice": sum(1 for n in finished.values() if n > 1),
        "duplicate_jobs": sum(n - 1 for n in per_brief.values() if n > 1),
        "callbacks_received": len(receiver.posts),
        "callbacks_delivered_more_than_once": sum(1 for n in receiver.posts.values() if n > 1),
        "callbacks_missing": sum(1 for j in accepted if j in jobs and receiver.posts[j] == 0),
        "callbacks_with_a_wrong_key": receiver.bad_keys,
        "repeated_callbacks": [  # each: its POSTs, the tries the database counted, the nearest kill (s after)
            {
                "job": job_id,
                "posts": n,
                "tries": jobs[job_id][5] if job_id in jobs else None,
                "nearest_kill_s": min(
                    (round(when - receiver.first_post[job_id], 3) for _, when in kills),
                    key=abs,
                    default=None,
                ),
            }
            for job_id, n in receiver.posts.items()
            if n > 1
        ],
        "seconds": round(span, 1),
        "briefs_per_minute": round(len(done) / span * 60, 1) if span > 0 else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench --soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--briefs", type=int, default=1000)
    parser.add_argument("--kill-every", type=int, default=100, help="accepted briefs between two kills (0: none)")
    parser.add_argument("--scale", default="1,2,4", help="replica counts to time without kills ('' for none)")
    parser.add_argument("--scale-briefs", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8, help="client threads submitting at once")
    parser.add_argument("--workers", type=int, default=2, help="brief workers per replica")
    parser.add_argument("--lease", type=float, default=5.0, help="the replicas' --lease, seconds")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="bound on each phase")
    parser.add_argument("--pg-url", default=os.environ.get("SUMMARIZER_TEST_PG_URL"), help="a server of yours")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    random.seed(args.seed)
    common = {"clients": args.clients, "lease": args.lease, "workers": args.workers, "max_seconds": args.max_seconds}
    phases = [Phase(args.replicas, args.briefs, args.kill_every or None, **common)]
    phases += [Phase(int(n), args.scale_briefs, None, **common) for n in args.scale.split(",") if n.strip()]
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
    }
    with ExitStack() as stack:
        server_url = args.pg_url or stack.enter_context(pgserver.throwaway(fast=False))
        model_url = stack.enter_context(standin_process())
        receiver = Receiver()
        stack.callback(receiver.close)
        results["phases"] = [run_phase(p, server_url, model_url, receiver, rng) for p in phases]
    results["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    print_summary(results, args)
    print(json.dumps({"soak": results}, sort_keys=True))
    return 0


def print_summary(results: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"machine: {results['machine']}; load average {results['load_average_at_start']} at start, "
        f"{results['load_average_at_end']} at end; lease {args.lease:g} s, {args.workers} workers a replica"
    )
    soak, *scale = results["phases"]
    print(
        f"soak: {soak['replicas']} replicas, {soak['briefs']} briefs, kill -9 every {args.kill_every} "
        f"({soak['kills']} kills)"
    )
    for key in (
        "submitted",
        "done",
        "failed",
        "lost",
        "finished_twice",
        "duplicate_jobs",
        "callbacks_delivered_more_than_once",
        "callbacks_missing",
        "answered_200_for_a_resent_key",
        "posts_resent",
        "briefs_per_minute",
    ):
        print(f"  {key:<38} {soak[key]}")
    for repeat in soak["repeated_callbacks"]:
        print(f"  repeated callback: {repeat}")
    for phase in scale:
        print(
            f"scale: {phase['replicas']} replica(s), {phase['done']}/{phase['briefs']} done in {phase['seconds']} s: "
            f"{phase['briefs_per_minute']} briefs per minute (lost {phase['lost']}, failed {phase['failed']})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
