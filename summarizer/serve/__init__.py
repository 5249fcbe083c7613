"""HTTP service for editorial tools: submit articles, poll the job, fetch the brief.

Jobs live in a job store (jobs.py: a SQLite file, or a PostgreSQL database that several service
processes share) and are worked by threads in this process (worker.py), which
share one connection to the model for the service's whole life (so the embedded model server starts
once, not once per brief); finished jobs are POSTed to their callback URLs by threads of their own
(delivery.py). `app.create_app` puts it together; it needs the `server` extra (FastAPI, uvicorn).
The job store and the callback rules import neither, so the command line can show their defaults.
"""
