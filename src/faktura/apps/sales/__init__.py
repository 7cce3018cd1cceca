"""Sales channels, buyers and the orders they report."""
