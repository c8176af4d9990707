"""Conversion glue: source -> converted function (conversion.py) and positions of converted code
mapped to the user's source (error_mapping.py). `converted_call`, the operator every call in
converted code goes through, is in operators/calls.py."""
