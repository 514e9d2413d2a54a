"""The streams summary's rules, on small hand-made streams whose answers are worked out here."""

from __future__ import annotations

import statistics

import pytest

from intervals_mcp.analysis import streams as st
from intervals_mcp.errors import InputError


def test_numbers_leave_out_gaps_and_non_numbers() -> None:
    assert st.numbers([1, None, 2.5, "x", True, float("nan"), 3]) == [1.0, 2.5, 3.0]
    assert st.numbers(None) == [] and st.numbers({"a": 1}) == []


def test_sampling_step_is_the_median_gap_of_the_time_stream() -> None:
    assert st.sampling_step([0, 1, 2, 3, 60, 61]) == 1.0  # a pause does not count
    assert st.sampling_step([0, 10, 20, 30]) == 10.0
    assert st.sampling_step(None) == 1.0 and st.sampling_step([5]) == 1.0


def test_percentiles_interpolate_between_the_nearest_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    # position (n - 1) * p / 100: p50 -> 1.5 -> halfway between 20 and 30
    assert st.percentile(values, 50) == 25.0
    assert st.percentile(values, 0) == 10.0 and st.percentile(values, 100) == 40.0
    assert st.percentile(values, 10) == pytest.approx(13.0)  # position 0.3
    data = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0]
    cuts = statistics.quantiles(data, n=100, method="inclusive")
    stats = st.stream_stats(data)
    assert stats is not None
    assert stats.percentiles == {p: pytest.approx(cuts[p - 1]) for p in st.PERCENTILES}
    assert (stats.min, stats.max, stats.samples) == (1.0, 9.0, 11)
    assert stats.mean == pytest.approx(sum(data) / 11)
    assert st.stream_stats([]) is None


def test_time_in_bands_counts_a_value_on_a_bound_in_the_lower_band() -> None:
    values = [100.0, 150.0, 151.0, 200.0, 999.0]
    bands = st.time_in_bands(values, [150.0, 200.0, 250.0], ["easy", "steady"], step_s=2.0)
    assert [(b.name, b.low, b.high, b.seconds) for b in bands] == [
        ("easy", None, 150.0, 4.0),  # 100 and 150
        ("steady", 150.0, 200.0, 4.0),  # 151 and 200
        ("Z3", 200.0, None, 2.0),  # 999, above the last bound, counts in the last band
    ]
    assert sum(b.share for b in bands) == pytest.approx(1.0)
    assert st.time_in_bands(values, [], [], 1.0) == []


def test_downsample_takes_bucket_means() -> None:
    values = [float(v) for v in range(10)]
    series = st.downsample(values, 4, step_s=1.0)
    # ceil(10 / 4) = 3 samples a bucket: (0,1,2) (3,4,5) (6,7,8) (9)
    assert series.values == (1.0, 4.0, 7.0, 9.0) and series.every_s == 3.0
    assert st.downsample(values, 20, 5.0).values == tuple(values)
    with pytest.raises(InputError, match="max_points"):
        st.downsample(values, 1, 1.0)


def test_zone_bounds_from_percentages_or_as_given() -> None:
    assert st.zone_bounds(250.0, [55, 75, 999]) == [138, 188, 2498]
    assert st.zone_bounds(None, [134, 147]) == [134.0, 147.0]
    assert st.zone_bounds(0.0, [55]) == [] and st.zone_bounds(250.0, None) == []
