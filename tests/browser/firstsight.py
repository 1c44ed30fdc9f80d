"""What a reader sees of a graph page at first sight: how many node labels
are drawn large enough to read, and how many of those overlap no other label.

Measured from vis-network's own state after layout: each node's position
(``getPositions``), the view's scale (``getScale``) and `canvasToDOM`, and
each label's width as the canvas measures its text in the node's font.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

READABLE_PX = 11.0  # the smallest label height on screen counted as readable

# Shapes vis-network draws their label inside; every other shape draws it below.
_MEASURE = """
() => {
  const network = window.kgNetwork;
  const scale = network.getScale();
  const positions = network.getPositions();
  const canvas = document.querySelector("#kg-network canvas");
  const width = canvas.clientWidth, height = canvas.clientHeight;
  const measure = document.createElement("canvas").getContext("2d");
  const inside = new Set(["box", "ellipse", "circle", "database", "text"]);
  const boxes = [];
  for (const id of Object.keys(positions)) {
    const node = network.body.nodes[id];
    if (!node || node.options.hidden || !node.options.label) continue;
    const font = node.options.font;
    const lines = String(node.options.label).split("\\n");
    measure.font = font.size + "px " + font.face;
    const textWidth = Math.max(...lines.map(line => measure.measureText(line).width));
    const textHeight = font.size * lines.length;
    const p = positions[id];
    const below = inside.has(node.options.shape) ? 0
      : node.options.size + 2 + textHeight / 2;
    const centre = network.canvasToDOM({x: p.x, y: p.y + below});
    const box = {
      left: centre.x - textWidth * scale / 2, right: centre.x + textWidth * scale / 2,
      top: centre.y - textHeight * scale / 2, bottom: centre.y + textHeight * scale / 2,
      px: font.size * scale,
    };
    const outside = box.right < 0 || box.left > width || box.bottom < 0
      || box.top > height;
    if (outside) continue;
    boxes.push(box);
  }
  const overlaps = (a, b) => a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  const readable = boxes.filter(box => box.px >= %READABLE%);
  const clear = readable.filter(box => boxes.every(other => other === box
    || !overlaps(box, other)));
  const sizes = boxes.map(box => box.px);
  return {scale: scale, drawn: boxes.length, readable: readable.length,
          clear: clear.length, px: sizes.length ? Math.max(...sizes) : 0};
}
""".replace("%READABLE%", str(READABLE_PX))


@dataclass(frozen=True, slots=True)
class FirstSight:
    scale: float  # vis-network's view scale after layout
    drawn: int  # labels drawn in the view
    readable: int  # of those, drawn at least READABLE_PX high
    clear: int  # of the readable ones, those overlapping no other drawn label
    px: float  # the largest label height on screen

    def __str__(self) -> str:
        return (f"scale {self.scale:.2f}: {self.drawn} labels drawn, "
                f"{self.readable} at ≥ {READABLE_PX:g} px (largest "
                f"{self.px:.1f} px), {self.clear} of them overlap no other")


def first_sight(page: Page) -> FirstSight:
    """The figures of the graph drawn in `page` (opened and laid out)."""
    return FirstSight(**page.evaluate(_MEASURE))
