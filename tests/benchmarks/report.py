"""Result rows of the benchmarks and the Markdown table that goes into docs/benchmarks.md."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One measured figure next to its floor. ``higher_is_better`` decides how the ratio is
    formed: it is always "E-Akte cost / floor cost", so 1.0 means "as fast as the floor"."""

    benchmark: str
    measure: str
    value: float
    floor: float | None
    unit: str
    goal: str = ""
    met: bool | None = None
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor == 0 or self.value == 0:
            return None
        return self.floor / self.value if self.higher_is_better else self.value / self.floor


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if not unit and float(value).is_integer():  # a count
        return f"{value:,.0f}"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def verdict(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: ""}[met]


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| Benchmark | Measure | E-Akte | Floor | Ratio | Goal | Met |",
        "|---|---|--:|--:|--:|---|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "–"
        lines.append(
            f"| {r.benchmark} | {r.measure} | {fmt(r.value, r.unit)} | {fmt(r.floor, r.unit)} "
            f"| {ratio} | {r.goal} | {verdict(r.met)} |"
        )
    return "\n".join(lines)


def print_rows(rows: list[Row]) -> None:
    """The figures of one benchmark as soon as it has them (the table comes at the end)."""
    for r in rows:
        ratio = f"  ratio {r.ratio:.2f}" if r.ratio is not None else ""
        goal = f"  goal {r.goal}: {'met' if r.met else 'NOT met'}" if r.goal else ""
        floor = f"  floor {fmt(r.floor, r.unit)}" if r.floor is not None else ""
        print(f"  {r.measure:<42} {fmt(r.value, r.unit):>14}{floor}{ratio}{goal}", flush=True)
