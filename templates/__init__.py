"""Jinja2 templates of the generated package, installed as `codegen.templates`."""
