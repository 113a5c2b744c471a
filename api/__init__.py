"""edukg api package."""
