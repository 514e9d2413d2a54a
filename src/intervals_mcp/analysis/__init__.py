"""Pure computations behind the analytics tools (issue 9): no I/O, no SQL, no HTTP.

Inputs are small frozen dataclasses (or mappings of dates to numbers) that the database layer
fills from indexed columns; results are frozen dataclasses the formatter turns into text and
structured output. Bad arguments raise `errors.InputError` with one sentence. Every module's
docstring states its rules; the tools should quote them, not restate them differently.

sports: `sport_matches(sport, activity_type)` (THE filter rule: `Ride` includes VirtualRide,
    GravelRide, MountainBikeRide, TrackRide, Cyclocross; `Run` includes VirtualRun, TrailRun;
    `Swim` OpenWaterSwim; `Rowing` VirtualRow; `NordicSki` VirtualSki, RollerSki; any other
    type only itself), `sport_types(sport)` (the same rule as a set for SQL `IN`, None = all),
    `normalize_sport`, `sport_family`, `same_sport`, ACTIVITY_TYPES, SPORT_FAMILIES.
periods: Period(start, end) (inclusive; `.days`, `in`), `check_span`, `default_group_by`
    (<= 14 days none, <= 92 week, <= 731 month, else year), `check_group_by`, `split_periods`
    (ISO weeks from Monday, calendar months, years, clipped to the span), `previous_span`,
    `week_start`, `bucket`.
summary: ActivityRow (one activity, or `sessions` of them summed) ->
    `summarize_training(rows, start, end, group_by, sport)` -> TrainingSummary(span, group_by,
    sport, totals: Totals, by_sport: {type: Totals},
    periods: (PeriodTotals(start, end, totals), ...), previous: Totals, previous_span, hidden:
    (HiddenActivity(date, id), ...), records). Totals(sessions, moving_time_s, distance_km,
    elevation_m, training_load, strava_hidden); also `totals_of(rows)`.
fitness: FitnessDay(date, ctl, atl) -> `fitness_trend(days, start, end, forecast_days,
    planned)` -> FitnessTrend(latest: FitnessPoint(date, ctl, atl, form), peak: FitnessPoint,
    points (<= 60), ramp_per_week, forecast: (ForecastPoint(date, ctl, atl, form,
    planned_load), ...), forecast_note, records); pieces: `known_points`, `latest_fitness`,
    `peak_fitness`, `downsample`, `ramp_per_week`, `forecast_fitness`, FORECAST_NOTE.
wellness: WellnessDay(date, hrv, resting_hr, sleep_secs, weight) -> `wellness_trends(days,
    start, end, daily_load)` -> WellnessTrends(hrv, resting_hr, sleep_hours: Baseline(
    recent_mean, baseline_mean, baseline_sd, recent_vs_baseline, recent_vs_baseline_pct,
    recent_days, baseline_days), hrv_low, resting_hr_high, weight_trend_kg_per_week,
    weight_days, recent_load_mean, baseline_load_mean, days: (DayLine, ...), records);
    pieces: `baseline`, `below_band`, `above_band`, `weekly_slope`.
zones: `parse_zone_times(metric, raw_payload_value, date)` -> ActivityZones (one activity, or
    `activities` of one day summed) ->
    `intensity_distribution(metric, activities, start, end)` -> IntensityDistribution(metric,
    zones: (ZoneShare(zone, seconds, share), ...), total_seconds, sweet_spot_seconds,
    polarization: Polarization(low, moderate, high, index, polarized), weeks: (WeekShares,
    ...), with_zones, without_zones); pieces: `check_metric`, `sum_zones`, `shares`,
    `three_zone`, `polarization_index`, ZONE_FIELDS.
adherence: PlannedEvent, DoneActivity -> `plan_adherence(events, activities, start, end,
    today)` -> Adherence(planned, completed, missed: (Missed(date, name), ...), unplanned:
    (Unplanned(id, date, type, name), ...), planned_load, done_load, compliance_pct, pairs:
    (Pair(event_id, activity_id, how), ...), weeks: (AdherenceWeek, ...), hidden_completed);
    piece: `pair_workouts`.
search: SearchItem, SearchFilter -> `search(items, filter, sort, limit)` ->
    SearchResult(total, activities); `similar_to(reference, items, limit)` -> [Similar(item,
    distance)] oldest first; pieces: `words`, `matches_query`, `check_sort`, `sort_items`,
    `passes`, `similarity`.
cache: CoveredRange(start, end, fetched_at) -> `cache_status(resource, start, end, covered,
    is_stale, athlete_id)` -> CacheStatus(resource, span, cached, gaps, gap_days, stale_days,
    last_fetch, sync_command); pieces: `covered_ranges` (per-day coverage -> ranges),
    `fetched_days`, `gaps`, `sync_command` (one resource or several).
"""
