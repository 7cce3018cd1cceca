"""The demo data set that ``faktura demo`` loads: one Romanian online shop.

``data`` holds the data only (plain values, no Django); the command that stores
it through the services lives with the other management commands.
"""
