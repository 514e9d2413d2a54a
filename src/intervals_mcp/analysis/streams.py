"""One activity's streams summarised: what a model can read instead of thousands of raw values.

Rules (ours; the tool says so):
- Values are the stream's numbers with the gaps (nulls) left out; `samples` counts them.
- mean is the plain mean of the samples; percentiles interpolate linearly between the two
  nearest ranks of the sorted samples (the "inclusive" method: p0 is the min, p100 the max).
- Every sample stands for the activity's sampling step: the median gap between consecutive
  values of its `time` stream (1 s when it has none). Time in a band is samples x step.
- Bands are upper bounds, ascending: a value belongs to the first band whose bound it does not
  exceed; a value above the last bound counts in the last band.
- A series is downsampled to at most `points` values by splitting the samples (nulls kept out)
  into that many consecutive buckets of equal size (the last one shorter) and taking each
  bucket's mean; `every_s` is one bucket's span at the sampling step.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from intervals_mcp.errors import InputError

PERCENTILES = (10, 25, 50, 75, 90)
MAX_SERIES_POINTS = 500


@dataclass(frozen=True, slots=True)
class Band:
    name: str
    low: float | None  # the previous band's bound (None for the first band)
    high: float | None  # this band's upper bound (None: open above, the last band)
    seconds: float
    share: float  # of the stream's time, 0..1


@dataclass(frozen=True, slots=True)
class StreamStats:
    samples: int
    min: float
    mean: float
    max: float
    percentiles: dict[int, float]


@dataclass(frozen=True, slots=True)
class Series:
    every_s: float  # seconds one point stands for
    values: tuple[float, ...]


def numbers(data: object) -> list[float]:
    """The stream's numeric values, gaps (null, non-numbers) left out."""
    if not isinstance(data, list):
        return []
    return [
        float(v) for v in data if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    ]


def sampling_step(time_stream: object) -> float:
    """The median gap between consecutive values of the `time` stream (1 s without one)."""
    times = numbers(time_stream)
    gaps = [b - a for a, b in itertools.pairwise(times) if b > a]
    return float(statistics.median(gaps)) if gaps else 1.0


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile of sorted values, linear between the nearest ranks (inclusive)."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * p / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def stream_stats(values: Sequence[float]) -> StreamStats | None:
    """min, mean, max and PERCENTILES of the samples (None without any)."""
    if not values:
        return None
    ordered = sorted(values)
    return StreamStats(
        samples=len(ordered),
        min=ordered[0],
        mean=statistics.fmean(ordered),
        max=ordered[-1],
        percentiles={p: percentile(ordered, p) for p in PERCENTILES},
    )


def time_in_bands(
    values: Sequence[float], bounds: Sequence[float], names: Sequence[str], step_s: float
) -> list[Band]:
    """Seconds and share of the samples in each band (see the module rule); `names` may be
    shorter than `bounds` (the rest are Z<n>)."""
    if not bounds:
        return []
    counts = [0] * len(bounds)
    for value in values:
        index = next((i for i, bound in enumerate(bounds) if value <= bound), len(bounds) - 1)
        counts[index] += 1
    total = len(values)
    bands = []
    for i, (bound, count) in enumerate(zip(bounds, counts, strict=True)):
        name = names[i] if i < len(names) else f"Z{i + 1}"
        bands.append(
            Band(
                name=name,
                low=bounds[i - 1] if i else None,
                high=None if i == len(bounds) - 1 else bound,
                seconds=count * step_s,
                share=count / total if total else 0.0,
            )
        )
    return bands


def check_points(points: int) -> int:
    if not 2 <= points <= MAX_SERIES_POINTS:
        raise InputError(f"max_points must be between 2 and {MAX_SERIES_POINTS}, not {points}.")
    return points


def downsample(values: Sequence[float], points: int, step_s: float) -> Series:
    """The samples as at most `points` bucket means (see the module rule)."""
    check_points(points)
    if len(values) <= points:
        return Series(step_s, tuple(values))
    size = math.ceil(len(values) / points)
    means = tuple(statistics.fmean(values[i : i + size]) for i in range(0, len(values), size))
    return Series(size * step_s, means)


def zone_bounds(percent_of: float | None, zones: object) -> list[float]:
    """Zone upper bounds in the stream's unit: `zones` as sent (bpm, or % of `percent_of` such
    as FTP watts when given); [] when unusable."""
    bounds = numbers(zones)
    if not bounds:
        return []
    if percent_of is None:
        return bounds
    if percent_of <= 0:
        return []
    return [round(b * percent_of / 100.0) for b in bounds]
