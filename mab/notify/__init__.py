"""The outbox: e-mail queued with each action and delivered by the worker."""
