"""Bifrost Images API 1.0.0

Image generation, edit and variation endpoints of the Bifrost AI gateway.
The gateway is OpenAI-compatible; model ids take the form `provider/model` (e.g. `openai/gpt-image-1`).

Generated from the OpenAPI spec by codegen: do not edit.
"""

__version__ = "1.0.0"
