"""The addresses of the server's resources (see `resources.py`), in one place: tool
descriptions and answers name some of them."""

WORKOUT_GUIDE = "intervals://guides/workout-text"
PROFILE = "intervals://athlete/profile"
PROFILE_OF = "intervals://athlete/{athlete_id}/profile"
CACHE_STATUS = "intervals://athlete/cache-status"
CACHE_STATUS_OF = "intervals://athlete/{athlete_id}/cache-status"
