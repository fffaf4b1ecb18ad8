"""The match model: features, comparison, term weights, the screening index."""
