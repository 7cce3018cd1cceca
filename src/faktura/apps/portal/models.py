"""Buyers' accounts, their sign-in links and the log the rate limits count.

None of these is a ``TenantModel``: a buyer is a person who may have bought
from several sellers of the instance, known by their email address. What they
see is found through the sellers' own rows (documents and orders addressed to
that address), never stored here.
"""

from __future__ import annotations

from django.db import models


class BuyerAccount(models.Model):
    """A buyer who has signed in at least once; the key is the normalised email (``identity.normalise_email``)."""

    email = models.EmailField(max_length=254, unique=True)
    language = models.CharField(max_length=8, blank=True, help_text="The portal's language the buyer last chose.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


class SignInLink(models.Model):
    """A one-time link sent by email: only the SHA-256 of its token is stored (see ``tokens``)."""

    purpose = models.CharField(max_length=32)
    email = models.EmailField(max_length=254)
    nonce = models.CharField(max_length=64, help_text="Random; the token is an HMAC of it under the secret key.")
    token_hash = models.CharField(max_length=64, unique=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The one seller the session sees, when the instance is not a marketplace.",
    )
    language = models.CharField(max_length=8, blank=True)
    next_path = models.CharField(max_length=300, blank=True, help_text="A /my/ page to open after signing in.")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    send_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = (models.Index(fields=("expires_at",), name="portal_link_expires"),)

    def __str__(self) -> str:
        return f"{self.purpose} link for {self.email}"


class SignInRequest(models.Model):
    """One request for a sign-in link, counted by the rate limits (per email, per address).

    Both keys are SHA-256 hashes, so the log does not keep the addresses of
    people who are not buyers. Rows older than the window are deleted as new
    requests come in.
    """

    email_key = models.CharField(max_length=64)
    ip_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        indexes = (
            models.Index(fields=("email_key", "created_at"), name="portal_request_email"),
            models.Index(fields=("ip_key", "created_at"), name="portal_request_ip"),
            models.Index(fields=("created_at",), name="portal_request_at"),
        )

    def __str__(self) -> str:
        return f"sign-in request at {self.created_at:%Y-%m-%d %H:%M}"
