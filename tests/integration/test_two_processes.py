"""Two wizard processes on one database: optimistic locking holds across processes, not only across threads."""

from __future__ import annotations

import multiprocessing

from app.adapters.storage import Repository
from app.errors import StaleWriteError


def _save_in_another_process(url: str, engagement_id: str, city: str, expected: int, out) -> None:
    try:
        record = Repository.from_url(url).save(engagement_id, {"city": city}, expected_version=expected)
    except StaleWriteError as exc:
        out.put(("stale", exc.current))
    else:
        out.put(("saved", record.version))


def _in_process(url: str, engagement_id: str, city: str, expected: int) -> tuple[str, int]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    proc = context.Process(target=_save_in_another_process, args=(url, engagement_id, city, expected, out))
    proc.start()
    result = out.get(timeout=60)
    proc.join(30)
    return result


def test_a_save_from_a_second_process_over_a_newer_version_is_refused_and_the_newer_one_kept(database_url):
    url = database_url
    record = Repository.from_url(url).create(title="Hai Phong")
    assert _in_process(url, record.id, "saved by replica A", 1) == ("saved", 2)
    assert _in_process(url, record.id, "saved by replica B", 1) == ("stale", 2)  # B opened version 1 too
    assert Repository.from_url(url).get(record.id).data == {"city": "saved by replica A"}
