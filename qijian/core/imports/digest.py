"""An SM3 digest over the keys of a bulk load (credit codes, certificate numbers), for its audit event.

A batch of a million rows is audited by its count and this digest instead of a list of every key. The
digest is SM3 over the UTF-8 bytes of the keys in load order, each followed by a newline, so anyone
holding the file can recompute it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cryptography.hazmat.primitives import hashes

_FLUSH = 10_000


def sm3_of_keys(keys: Iterable[str]) -> str:
    digest = KeyDigest()
    for key in keys:
        digest.add(key)
    return digest.hexdigest()


class KeyDigest:
    def __init__(self) -> None:
        self._hash = hashes.Hash(hashes.SM3())
        self._pending: list[str] = []
        self.count = 0

    def add(self, key: str) -> None:
        self._pending.append(key)
        if len(self._pending) >= _FLUSH:
            self._flush()

    def extend(self, keys: list[str]) -> None:
        """``add`` each key, in order."""
        self._pending.extend(keys)
        if len(self._pending) >= _FLUSH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._hash.update(("\n".join(self._pending) + "\n").encode())
            self.count += len(self._pending)
            self._pending.clear()

    def tap(self, rows: Iterable[Sequence[Any]], index: int = 0) -> Iterator[Sequence[Any]]:
        """Pass rows through unchanged while adding ``row[index]`` to the digest."""
        pending = self._pending
        for row in rows:
            pending.append(row[index])
            if len(pending) >= _FLUSH:
                self._flush()
            yield row

    def hexdigest(self) -> str:
        self._flush()
        return self._hash.finalize().hex()
