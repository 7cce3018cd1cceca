"""Integrations with the programs that call Faktura: durable idempotency keys for the API's POSTs."""
