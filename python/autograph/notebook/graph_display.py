"""Graph pictures for notebooks: one display with the Graphviz SVG and a text fallback."""
import html


def graph_bundle(graph):
    """The MIME bundle of an ag.Graph: image/svg+xml (Graphviz `dot`) and text/plain.
    Without `dot` the bundle is text only, with a note saying what to install."""
    text = f"ag.Graph '{graph.name}' ({len(graph.ops)} ops)\n{graph.dump()}"
    try:
        svg = graph.to_svg()
    except (RuntimeError, OSError) as e:
        return {"text/plain": f"{text}\n({e})"}
    return {"image/svg+xml": svg, "text/plain": text}


def note_bundle(message):
    """A short note (text/html and text/plain)."""
    return {"text/html": f'<div class="ag-note"><i>{html.escape(message)}</i></div>',
            "text/plain": message}
