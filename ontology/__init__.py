"""edukg ontology package."""
