"""`ag.Graph`: a traced dataflow graph as users see it (op list, text dump, Graphviz)."""
import shutil
import subprocess


class Graph:
    """A graph that a staged function traced (and optimized)."""

    def __init__(self, core_graph, name="main", output_names=None):
        self._graph = core_graph
        self.name = name
        # The user's names of the results (`return n` -> ["n"]), for pictures.
        self.output_names = list(output_names or [])

    @property
    def ops(self):
        """Op names in execution order (subgraphs of cond/while follow their node)."""
        return list(self._graph.ops(True))

    def to_dot(self):
        """Graphviz source; cond/while subgraphs are clusters; results carry the user's names."""
        dot = self._graph.to_dot()
        for i, name in enumerate(self.output_names):
            label = name.replace("\\", "\\\\").replace('"', '\\"')
            dot = dot.replace(f'out{i} [label="output {i}"', f'out{i} [label="{label}"', 1)
        return dot

    def to_svg(self):
        """The graph drawn by Graphviz's `dot` (Debian package graphviz) as SVG text."""
        dot = shutil.which("dot")
        if dot is None:
            raise RuntimeError(
                "drawing a graph needs Graphviz's `dot` program: install the Debian package "
                "graphviz (apt-get install graphviz)")
        result = subprocess.run([dot, "-Tsvg"], input=self.to_dot().encode(),
                                capture_output=True, timeout=60, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"dot failed: {result.stderr.decode(errors='replace').strip()}")
        return result.stdout.decode()

    def _repr_svg_(self):
        return self.to_svg()

    def dump(self):
        """Readable text, one node per line."""
        return self._graph.dump()

    def __str__(self):
        return self.dump()

    def __repr__(self):
        return f"<ag.Graph '{self.name}': {self._graph.num_nodes()} nodes>\n{self.dump()}"
