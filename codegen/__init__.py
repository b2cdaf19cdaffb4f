"""Spec-driven code generation: multi-file OpenAPI -> typed models, server, client."""
