"""Webhooks, the pure half: inbound signatures and payload adapters (F12.1), outbound delivery rules.

``signatures`` authenticates a delivery from its headers and raw body (and signs ours);
``payloads`` turns the body into an ``OrderPayload`` the sales services can upsert;
``retries`` says which outbound answers are retried and when; ``destinations`` says
which URLs and addresses an outbound webhook may go to. Nothing here imports Django or
does I/O: the views, the logs, the deliveries and their tasks live in
``faktura.apps.integrations``.
"""
