"""Property tests of the pure verifier: every tampering is reported at exactly its first broken link."""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from qijian.audit.chain import row_hash
from qijian.audit.verify import ALTERED, BAD_CHECKPOINT, FORGED, MISSING, REORDERED, Report, verify_chain
from tests.audit.chains import KEYS, make_chain, make_checkpoint, make_row

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
contents = st.fixed_dictionaries(
    {
        "action": st.text(min_size=1, max_size=12),
        "actor_repr": st.text(max_size=8),
        "target_id": st.text(max_size=6),
        "after": st.none() | st.dictionaries(st.text(max_size=4), json_values, max_size=3),
    }
)
chains = st.lists(contents, min_size=2, max_size=25).map(make_chain)
TAMPERABLE = ["action", "actor_repr", "target_id", "target_repr", "after", "request_id", "prev_hash", "hash"]


def _verify(rows: list[dict[str, Any]]) -> Report:
    return verify_chain(iter(rows), [make_checkpoint(rows[-1])] if rows else [], KEYS)


def _first(report: Report) -> tuple[int, str] | None:
    """(seq, kind) of the first broken link, or None for an intact chain."""
    return (report.broken.seq, report.broken.kind) if report.broken else None


def _original(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


@given(chains)
def test_untampered_chain_verifies(rows: list[dict[str, Any]]) -> None:
    report = _verify(rows)
    assert report.ok, report.broken
    assert (report.rows, report.last_seq, report.attested_to) == (len(rows), rows[-1]["seq"], rows[-1]["seq"])


@given(chains, st.data())
def test_altered_field_is_reported_at_that_row(rows: list[dict[str, Any]], data: st.DataObject) -> None:
    tampered = _original(rows)
    index = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.sampled_from(TAMPERABLE))
    value = data.draw(st.text(max_size=70))
    assume(value != tampered[index][field])
    tampered[index][field] = value
    report = _verify(tampered)
    assert _first(report) == (rows[index]["seq"], ALTERED)


@given(chains, st.data())
def test_removed_row_is_reported_missing(rows: list[dict[str, Any]], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    tampered = rows[:index] + rows[index + 1 :]
    report = verify_chain(iter(tampered), [make_checkpoint(rows[-1])], KEYS)
    assert _first(report) == (rows[index]["seq"], MISSING)


@given(chains, st.data())
def test_swapped_rows_are_reported_reordered_at_the_first(rows: list[dict[str, Any]], data: st.DataObject) -> None:
    first = data.draw(st.integers(0, len(rows) - 2))
    second = data.draw(st.integers(first + 1, len(rows) - 1))
    tampered = list(rows)
    tampered[first], tampered[second] = tampered[second], tampered[first]
    report = verify_chain(iter(tampered), [make_checkpoint(rows[-1])], KEYS)
    assert _first(report) == (rows[first]["seq"], REORDERED)


@given(chains, contents, st.data())
def test_forged_row_with_its_own_valid_hash_is_reported(
    rows: list[dict[str, Any]], content: dict[str, Any], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    prev = rows[index - 1]["hash"] if index else rows[0]["prev_hash"]
    forged = make_row(rows[index]["seq"], prev, content)
    assert row_hash(forged) == forged["hash"]  # the forgery is internally consistent
    position = index + data.draw(st.integers(0, 1))  # just before or just after the row it imitates
    tampered = [*rows[:position], forged, *rows[position:]]
    report = verify_chain(iter(tampered), [make_checkpoint(rows[-1])], KEYS)
    assert _first(report) == (rows[index]["seq"], FORGED)


@given(chains, st.data())
def test_rewritten_tail_is_caught_by_the_signed_checkpoint(rows: list[dict[str, Any]], data: st.DataObject) -> None:
    """An attacker who rewrites a row AND recomputes every later hash is caught at the next checkpoint."""
    index = data.draw(st.integers(0, len(rows) - 1))
    contents_ = [{k: r[k] for k in ("action", "actor_repr", "target_id", "after")} for r in rows]
    contents_[index] = {**contents_[index], "action": contents_[index]["action"] + "x"}
    rewritten = make_chain(contents_)
    report = verify_chain(iter(rewritten), [make_checkpoint(rows[-1])], KEYS)
    assert _first(report) == (rows[-1]["seq"], FORGED)


@given(chains, st.data())
def test_checkpoint_with_a_changed_field_fails_its_signature(rows: list[dict[str, Any]], data: st.DataObject) -> None:
    checkpoint = make_checkpoint(rows[-1])
    field = data.draw(st.sampled_from(["head_hash", "created_at", "kind", "signature"]))
    checkpoint[field] = checkpoint[field][:-1] + ("0" if checkpoint[field][-1] != "0" else "1")
    report = verify_chain(iter(rows), [checkpoint], KEYS)
    assert _first(report) == (rows[-1]["seq"], BAD_CHECKPOINT)


def test_purged_chain_verifies_from_its_signed_anchor() -> None:
    rows = make_chain([{"action": f"a{i}"} for i in range(10)])
    anchor = make_checkpoint(rows[3], kind="purge")
    report = verify_chain(iter(rows[4:]), [anchor, make_checkpoint(rows[-1])], KEYS)
    assert report.ok and (report.first_seq, report.rows) == (5, 6)


def test_prefix_removed_without_an_anchor_is_missing_from_seq_one() -> None:
    rows = make_chain([{"action": f"a{i}"} for i in range(10)])
    report = verify_chain(iter(rows[4:]), [make_checkpoint(rows[3]), make_checkpoint(rows[-1])], KEYS)
    assert _first(report) == (1, MISSING)


def test_checkpoint_signed_by_an_unknown_key_is_reported() -> None:
    rows = make_chain([{"action": "a"}, {"action": "b"}])
    report = verify_chain(iter(rows), [make_checkpoint(rows[-1], key_id="gone")], KEYS)
    assert _first(report) == (2, BAD_CHECKPOINT)


def test_rows_after_the_last_checkpoint_are_counted_as_unattested() -> None:
    rows = make_chain([{"action": f"a{i}"} for i in range(5)])
    report = verify_chain(iter(rows), [make_checkpoint(rows[2])], KEYS)
    assert report.ok and report.unattested == 2
