"""Notebook front end of autograph: the %%autograph / %autograph_graph magics (magics.py), the
side-by-side code view (side_by_side.py), graph pictures (graph_display.py), cell source
registration (cells.py) and tracebacks that point at the user's lines (tracebacks.py)."""
