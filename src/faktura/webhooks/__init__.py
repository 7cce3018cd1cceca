"""Inbound webhooks, the pure half: signature schemes and payload adapters (F12.1).

``signatures`` authenticates a delivery from its headers and raw body;
``payloads`` turns the body into an ``OrderPayload`` the sales services can upsert.
Nothing here imports Django: the view that receives the request, the dedup table
and the upsert live in the apps.
"""
