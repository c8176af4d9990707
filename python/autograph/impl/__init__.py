"""Conversion glue: source -> converted function (conversion.py), positions of converted code
mapped to the user's source (error_mapping.py), and `converted_call` (api.py)."""
