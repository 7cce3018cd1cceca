"""The buyer portal: buyers sign in with a magic link and see their orders and documents across sellers."""
