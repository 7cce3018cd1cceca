"""Documents (invoices, proformas, credit notes, estimates), their series and numbers."""
