"""What every app shares, below all of them: language helpers, form and HTTP helpers, queueing a task, worker
liveness. It imports no app of the project (the import-linter contracts in pyproject.toml say so)."""
