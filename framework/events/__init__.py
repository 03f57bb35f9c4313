"""Wire formats: build API Gateway events, parse Lambda proxy responses. Pure functions."""
