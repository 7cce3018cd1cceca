"""The seller web app's shell: sign-in, the current seller and role checks, the base layout, static assets.

Each app serves its own pages from its ``views.py`` (documents in invoicing,
orders in sales, rules in automation...) inside the layout defined here, and
protects each view with :func:`faktura.web.seller.seller_view`.
"""
