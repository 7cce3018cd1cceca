"""The seller's Settings pages of the accounts app: company data, bank accounts, test mode, people and API keys."""
