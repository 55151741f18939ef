"""Entities across articles: one row per real-world entity, with its name variants.

An article's entity (canonical name + mention forms, all within one article, already linked
by the pipeline) is matched to a stored entity of the same type by folded names, in this order:

1. a stored entity whose canonical key is the folded name (أنجيلا ميركل = انجيلا ميركل);
2. the only stored entity that used this folded name as one of its forms;
3. for a one-word person name (ميركل), the only stored person whose surname it is;
4. for a multi-word person name, the only stored one-word person named by its surname
   (an earlier article said only «ميركل»): that entity is merged upward and takes the
   fuller canonical name.

Anything ambiguous (two stored entities fit) gets its own entity rather than a wrong merge:
a missed merge costs less than quotes attributed to the wrong person.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from khabar.text.normalize import fold


def key_of(name: str) -> str:
    return " ".join(fold(name).split())


def resolve(conn: sqlite3.Connection, name: str, etype: str) -> int:
    """The stored entity id for ``name`` of type ``etype``, creating or upgrading the entity."""
    key = key_of(name)
    rows = conn.execute("SELECT id FROM entities WHERE type = ? AND key = ? ORDER BY id LIMIT 2",
                        (etype, key)).fetchall()
    if rows:
        return int(rows[0][0])
    ids = _alias_ids(conn, key, etype, "full")
    if len(ids) == 1:
        return ids[0]
    words = key.split()
    if not ids and etype == "PER":
        if len(words) == 1:
            part = _alias_ids(conn, key, etype, "part")
            if len(part) == 1:
                return part[0]
        else:
            short = conn.execute("SELECT id FROM entities WHERE type = 'PER' AND key = ? LIMIT 2",
                                 (words[-1],)).fetchall()
            rivals = _alias_ids(conn, words[-1], etype, "part")
            if len(short) == 1 and not rivals:
                eid = int(short[0][0])
                conn.execute("UPDATE entities SET name = ?, key = ? WHERE id = ?", (name, key, eid))
                return eid
    cur = conn.execute("INSERT INTO entities(name, type, key) VALUES (?, ?, ?)", (name, etype, key))
    return int(cur.lastrowid)


def _alias_ids(conn: sqlite3.Connection, folded: str, etype: str, kind: str) -> list[int]:
    rows = conn.execute(
        "SELECT DISTINCT a.entity_id FROM aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.folded = ? AND a.kind = ? AND e.type = ? LIMIT 3", (folded, kind, etype)).fetchall()
    return [int(r[0]) for r in rows]


def add_aliases(conn: sqlite3.Connection, eid: int, etype: str, name: str, forms: Iterable[str]) -> None:
    """Record the forms an article used for the entity (and a person's surname as a 'part')."""
    counts: dict[str, tuple[str, int]] = {}
    for f in [name, *forms]:
        k = key_of(f)
        if k:
            form, n = counts.get(k, (f, 0))
            counts[k] = (form, n + 1)
    for k, (form, n) in counts.items():
        _bump(conn, eid, k, "full", form, n)
    words = key_of(name).split()
    if etype == "PER" and len(words) > 1:
        _bump(conn, eid, words[-1], "part", name.split()[-1], 1)


def _bump(conn: sqlite3.Connection, eid: int, folded: str, kind: str, form: str, n: int) -> None:
    conn.execute("INSERT INTO aliases(entity_id, folded, kind, form, count) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT(folded, kind, entity_id) DO UPDATE SET count = count + excluded.count",
                 (eid, folded, kind, form, n))
