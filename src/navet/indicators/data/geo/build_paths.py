"""Project the municipality polygons once into compact SVG paths (municipality_paths.json).

Run after changing swedish_municipalities.geojson:

    python src/navet/indicators/data/geo/build_paths.py

The projection is SWEREF99 TM (EPSG:3006, transverse Mercator at 15° E on GRS80), Sweden's
national map projection, so the country keeps its true proportions. Coordinates are scaled to
whole map units (about 1.6 km each) and written as relative moves; points that round onto the
previous one are dropped. The page then only joins ready strings.
"""

import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "swedish_municipalities.geojson"
TARGET = HERE / "municipality_paths.json"
HEIGHT = 1000  # map units from the northernmost to the southernmost point
MARGIN = 4

# GRS80 and SWEREF99 TM (Lantmäteriet's Gauss–Krüger formulas).
A_AXIS, FLATTENING = 6378137.0, 1 / 298.257222101
CENTRAL_MERIDIAN, SCALE, FALSE_EASTING = math.radians(15.0), 0.9996, 500000.0


def _constants() -> tuple[float, tuple[float, ...], tuple[float, ...]]:
    e2 = FLATTENING * (2 - FLATTENING)
    n = FLATTENING / (2 - FLATTENING)
    a_roof = A_AXIS / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    series = (
        e2,
        (5 * e2**2 - e2**3) / 6,
        (104 * e2**3 - 45 * e2**4) / 120,
        1237 * e2**4 / 1260,
    )
    betas = (
        n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180,
        13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440,
        61 * n**3 / 240 - 103 * n**4 / 140,
        49561 * n**4 / 161280,
    )
    return a_roof, series, betas


A_ROOF, SERIES, BETAS = _constants()


def sweref99tm(lon: float, lat: float) -> tuple[float, float]:
    """(easting, northing) in metres."""
    phi, dl = math.radians(lat), math.radians(lon) - CENTRAL_MERIDIAN
    s2 = math.sin(phi) ** 2
    a, b, c, d = SERIES
    phi_star = phi - math.sin(phi) * math.cos(phi) * (a + b * s2 + c * s2**2 + d * s2**3)
    xi = math.atan(math.tan(phi_star) / math.cos(dl))
    eta = math.atanh(math.cos(phi_star) * math.sin(dl))
    north = xi + sum(
        beta * math.sin(2 * k * xi) * math.cosh(2 * k * eta) for k, beta in enumerate(BETAS, 1)
    )
    east = eta + sum(
        beta * math.cos(2 * k * xi) * math.sinh(2 * k * eta) for k, beta in enumerate(BETAS, 1)
    )
    return SCALE * A_ROOF * east + FALSE_EASTING, SCALE * A_ROOF * north


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _path(rings: list[list[tuple[int, int]]]) -> str:
    parts: list[str] = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for point in ring:
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        x0, y0 = points[0]
        moves = [f"M{x0} {y0}"]
        previous = points[0]
        steps = []
        for x, y in points[1:]:
            steps.append(f"{x - previous[0]} {y - previous[1]}")
            previous = (x, y)
        moves.append("l" + " ".join(steps) + "z")
        parts.append("".join(moves))
    return "".join(parts).replace(" -", "-")


def build() -> dict:
    features = json.loads(SOURCE.read_text(encoding="utf-8"))["features"]
    projected = [
        (
            feature["properties"],
            [[sweref99tm(lon, lat) for lon, lat in ring] for ring in _rings(feature["geometry"])],
        )
        for feature in features
    ]
    xs = [x for _, rings in projected for ring in rings for x, _ in ring]
    ys = [y for _, rings in projected for ring in rings for _, y in ring]
    scale = (HEIGHT - 2 * MARGIN) / (max(ys) - min(ys))
    width = round((max(xs) - min(xs)) * scale) + 2 * MARGIN
    left, top = min(xs), max(ys)
    municipalities = []
    for properties, rings in sorted(projected, key=lambda item: item[0]["id"]):
        grid = [
            [(round((x - left) * scale) + MARGIN, round((top - y) * scale) + MARGIN) for x, y in r]
            for r in rings
        ]
        municipalities.append(
            {"code": properties["id"], "name": properties["kom_namn"], "d": _path(grid)}
        )
    return {"width": width, "height": HEIGHT, "municipalities": municipalities}


if __name__ == "__main__":
    data = build()
    TARGET.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    count, size = len(data["municipalities"]), TARGET.stat().st_size
    print(f"{count} municipalities, {data['width']}×{data['height']}, {size} bytes")
