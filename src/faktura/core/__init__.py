"""The pure domain core: money, VAT, totals, numbering, rules.

Nothing here imports Django (an import-linter contract enforces it), so every
rule can be tested in microseconds and reused by the API, the web app, the CLI
and the workers alike.
"""
