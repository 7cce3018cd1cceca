"""Delivery to buyers (F6): the document by email the moment it is issued, retried, logged, never sent twice."""
