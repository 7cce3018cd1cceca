"""The sales app's pages of the seller web app: orders (``orders``, ``order_actions``); one module per area."""
