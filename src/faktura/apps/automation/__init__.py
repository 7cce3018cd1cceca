"""Orders into documents: each channel's issuing rules, run on every order event, explained on demand."""
