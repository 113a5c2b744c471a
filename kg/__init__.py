"""edukg kg package."""
