"""Charts drawn on the server as SVG shapes: no script, no external service, readable
without colour (every chart has a table beside it)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ftfhub.domain.vocab import CasePriority
from ftfhub.services.capacity import CapacityPoint
from ftfhub.services.network import Network, Node

COLOURS = {
    CasePriority.HIGH: "#a4161a",
    CasePriority.MEDIUM: "#b85c00",
    CasePriority.LOW: "#2b6cb0",
}
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 260, 40, 30, 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    line: str  # officers, as an SVG polyline's points
    ticks: tuple[tuple[float, int], ...]  # y position, value
    labels: tuple[tuple[float, str], ...]  # x position, week
    width: int = WIDTH
    height: int = HEIGHT


def capacity_chart(points: tuple[CapacityPoint, ...]) -> Chart:
    """Stacked bars of people monitored per priority each week; a line of officers."""
    top = max([1, *(p.total for p in points), *(p.officers for p in points)])
    plot_h = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / max(1, len(points))

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    bars: list[Bar] = []
    line: list[str] = []
    labels: list[tuple[float, str]] = []
    for i, point in enumerate(points):
        x = LEFT + i * step + step * 0.15
        base = 0
        for priority in CasePriority:
            n = point.monitored[priority]
            if n:
                label = f"week of {point.week}: {n} {priority.value}"
                height = plot_h * n / top
                bars.append(Bar(x, y(base + n), step * 0.7, height, COLOURS[priority], label))
            base += n
        line.append(f"{x + step * 0.35:.1f},{y(point.officers):.1f}")
        labels.append((x + step * 0.35, point.week.strftime("%d %b")))
    ticks = tuple((y(v), v) for v in sorted({0, top // 2, top}))
    return Chart(tuple(bars), " ".join(line), ticks, tuple(labels))


@dataclass(frozen=True)
class Placed:
    reference: str
    agency: str
    label: str
    hop: int
    x: float
    y: float


@dataclass(frozen=True)
class Drawing:
    nodes: tuple[Placed, ...]
    edges: tuple[tuple[Placed, Placed, str], ...]  # from, to, what links them
    size: int


def network_drawing(network: Network, size: int = 640) -> Drawing:
    """The centre in the middle, each hop on its own ring, evenly spaced."""
    middle = size / 2
    rings: dict[int, list[Node]] = {}
    for node in network.nodes:
        rings.setdefault(node.hop, []).append(node)
    placed: dict[str, Placed] = {}
    for hop, nodes in rings.items():
        radius = 0.0 if hop == 0 else (size / 2 - 70) * hop / max(rings)
        for i, node in enumerate(nodes):
            angle = 2 * math.pi * i / len(nodes) + hop * 0.4
            x, y = middle + radius * math.cos(angle), middle + radius * math.sin(angle)
            placed[node.reference] = Placed(node.reference, node.agency, node.label, hop, x, y)
    edges = tuple(
        (placed[link.left], placed[link.right], f"{link.kind}: {link.value}")
        for link in network.links
        if link.left in placed and link.right in placed
    )
    return Drawing(tuple(placed.values()), edges, size)
