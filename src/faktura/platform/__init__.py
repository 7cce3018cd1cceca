"""Django plumbing shared by every app: tenancy, database guards, field kinds.

It holds no business rules; it exists so apps need not import each other's
models to get the tenant base class or the amount field.
"""
