"""Several athletes behind one fake, and which API key may see which of them.

A `FakeWorld` holds one `FakeStore` per athlete and, per API key, an `Access`: the key's owner
and the athletes it coaches (read and write) or follows (read only). The live service's rules,
as the fake applies them:

* `/athlete/0/...` means the key's owner; `/athlete/{id}/...` works for the owner, a coached
  athlete and (reads only) a followed one; anything else answers
  403 `{"status":403,"error":"Access denied"}` (API_NOTES §2, §9).
* `/activity/{id}...` finds the activity in whichever athlete holds it: 404 if nobody does,
  403 if the key may not see that athlete (writes: may not write); the payload carries its
  owner's `icu_athlete_id`.
* `GET /athletes` lists the owner first, then everyone the key coaches or follows.

Building one, for tests::

    coach, ann, bob = (generate_athlete(seed=s, athlete_id=i, today=day, timezone=tz)
                       for s, i, tz in [(1, "i100", "Europe/Brussels"),
                                        (2, "i201", "Australia/Sydney"),
                                        (3, "i202", "America/Denver")])
    world = FakeWorld.coach(coach, [ann], key="coach-key", follows=[bob],
                            athlete_keys={"i201": "ann-key", "i202": "bob-key"})
    with FakeIntervals(world) as fake:   # keys come from the world
        fake.world.store("i201")         # Ann's upstream data, to edit or read
        fake.store                       # the primary athlete (the coach)

`FakeIntervals(store, api_key=k)` still serves one athlete with one key:
`FakeWorld.single(store, key=k)`. Athlete ids, activity ids and event ids must be unique
across the world (generated athletes with different ids never clash: see `ids.py`); the
constructor says which id clashes otherwise.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from intervals_mcp.fake.store import FakeStore


@dataclass(frozen=True, slots=True)
class Access:
    """What one API key may do: its owner, whom it coaches (read + write), whom it follows."""

    owner: str
    coached: frozenset[str] = field(default_factory=frozenset)
    followed: frozenset[str] = field(default_factory=frozenset)

    def can_read(self, athlete_id: str) -> bool:
        return athlete_id == self.owner or athlete_id in self.coached or athlete_id in self.followed

    def can_write(self, athlete_id: str) -> bool:
        return athlete_id == self.owner or athlete_id in self.coached

    def allows(self, athlete_id: str, method: str) -> bool:
        """Reads (GET/HEAD) need read access, every other method write access."""
        if method.upper() in ("GET", "HEAD"):
            return self.can_read(athlete_id)
        return self.can_write(athlete_id)

    def visible(self) -> list[str]:
        """The owner first, then coached and followed athletes in id order."""
        others = sorted((self.coached | self.followed) - {self.owner})
        return [self.owner, *others]

    def resolve(self, path_id: str) -> str:
        """`0` is the key's owner; any other id stands for itself."""
        return self.owner if path_id == "0" else path_id


class FakeWorld:
    """Athletes by id plus API keys; safe to read from the server thread while tests edit stores."""

    def __init__(self, stores: Iterable[FakeStore], keys: Mapping[str, Access]) -> None:
        self._stores: dict[str, FakeStore] = {}
        for store in stores:
            if store.athlete_id in self._stores:
                raise ValueError(f"Athlete {store.athlete_id} appears twice in the world; "
                                 "give each store its own athlete_id.")
            self._stores[store.athlete_id] = store
        if not keys:
            raise ValueError("A FakeWorld needs at least one API key; see FakeWorld.coach.")
        self._keys: dict[str, Access] = {}
        for key, access in keys.items():
            self.add_key(key, access)
        self._check_unique_ids()
        self.primary_id = next(iter(keys.values())).owner

    def __repr__(self) -> str:
        return f"FakeWorld(athletes={list(self._stores)}, keys={len(self._keys)})"

    # ---- building ----------------------------------------------------------------------------

    @classmethod
    def single(cls, store: FakeStore, *, key: str) -> FakeWorld:
        """One athlete and its own key: what `FakeIntervals(store, api_key=key)` serves."""
        return cls([store], {key: Access(store.athlete_id)})

    @classmethod
    def coach(
        cls,
        coach: FakeStore,
        athletes: Sequence[FakeStore],
        *,
        key: str,
        follows: Sequence[FakeStore] = (),
        athlete_keys: Mapping[str, str] | None = None,
    ) -> FakeWorld:
        """A coach (key `key`) coaching `athletes` and following `follows`; `athlete_keys` gives
        athletes their own keys ({athlete id: key}), each reading only itself."""
        access = Access(coach.athlete_id, frozenset(s.athlete_id for s in athletes),
                        frozenset(s.athlete_id for s in follows))
        keys = {key: access}
        for athlete_id, own_key in (athlete_keys or {}).items():
            keys[own_key] = Access(athlete_id)
        return cls([coach, *athletes, *follows], keys)

    def add_key(self, key: str, access: Access) -> None:
        """Accept one more API key (for example an athlete's own, next to its coach's)."""
        if not key:
            raise ValueError("An API key cannot be empty.")
        unknown = [a for a in (access.owner, *access.coached, *access.followed)
                   if a not in self._stores]
        if unknown:
            raise ValueError(f"Athlete {unknown[0]} has no store in this world; add its store first.")
        self._keys[key] = access

    def _check_unique_ids(self) -> None:
        for kind in ("activities", "events"):
            owner: dict[Any, str] = {}
            for athlete_id, store in self._stores.items():
                with store.lock:
                    ids = list(getattr(store, kind))
                for record_id in ids:
                    if owner.setdefault(record_id, athlete_id) != athlete_id:
                        raise ValueError(
                            f"{kind[:-1].capitalize()} id {record_id} belongs to both "
                            f"{owner[record_id]} and {athlete_id}; generate the athletes with "
                            "different athlete ids (their ids then never clash).")

    def replacing(self, old_id: str, store: FakeStore) -> FakeWorld:
        """This world with athlete `old_id` replaced by `store` (keys follow to its id)."""
        def swap(athlete_id: str) -> str:
            return store.athlete_id if athlete_id == old_id else athlete_id

        stores = [store if a == old_id else s for a, s in self._stores.items()]
        keys = {k: Access(swap(a.owner), frozenset(map(swap, a.coached)),
                          frozenset(map(swap, a.followed))) for k, a in self._keys.items()}
        world = FakeWorld(stores, keys)
        world.primary_id = swap(self.primary_id)
        return world

    # ---- reading -----------------------------------------------------------------------------

    @property
    def primary(self) -> FakeStore:
        """The athlete `FakeIntervals.store` stands for: the owner of the first key."""
        return self._stores[self.primary_id]

    @property
    def athlete_ids(self) -> list[str]:
        return list(self._stores)

    def store(self, athlete_id: str) -> FakeStore:
        try:
            return self._stores[athlete_id]
        except KeyError:
            raise KeyError(f"No athlete {athlete_id} in this world "
                           f"(it has {', '.join(self._stores)}).") from None

    def get(self, athlete_id: str) -> FakeStore | None:
        return self._stores.get(athlete_id)

    def access_for(self, key: str) -> Access | None:
        """The access of an API key, or None; compares every key in constant time."""
        found: Access | None = None
        for known, access in list(self._keys.items()):
            if hmac.compare_digest(known.encode(), key.encode()):
                found = access
        return found

    def holder_of_activity(self, activity_id: str) -> FakeStore | None:
        """The store of the athlete holding this activity, if any."""
        for store in list(self._stores.values()):
            if activity_id in store.activities:
                return store
        return None


def as_world(target: FakeWorld | FakeStore, key: str) -> FakeWorld:
    """A world as given, or one athlete's store behind `key`."""
    return target if isinstance(target, FakeWorld) else FakeWorld.single(target, key=key)
