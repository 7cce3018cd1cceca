"""Payments received for documents and orders, recorded by hand or matched from a bank."""
