"""Faktura: invoicing engine for online sellers and marketplaces."""
