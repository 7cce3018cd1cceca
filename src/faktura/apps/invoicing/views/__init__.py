"""The seller web app's document pages (F7.2-F7.4): the list with its bulk actions, one document and its actions.

Thin views: a form parses the input, a service writes, a selector reads.
Every action is a POST guarded by its permission (``web.seller.seller_view``);
a domain error becomes a message or a form error, never a 500; another
seller's document is a 404.
"""
