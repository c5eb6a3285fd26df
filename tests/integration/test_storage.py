"""Engagements and proposal versions on a real SQLite file and a real PostgreSQL server: versions, conflicts, crashes mid-save."""

from __future__ import annotations

import multiprocessing
import os
import threading

import pytest
from sqlalchemy import event

from app.adapters.storage import Repository
from app.errors import StaleWriteError, StorageError


@pytest.fixture
def url(database_url):
    return database_url


@pytest.fixture
def repo(url):
    return Repository.from_url(url)


def test_a_saved_engagement_reads_back_with_its_next_version(repo):
    rec = repo.create(title="Da Nang", owner="kim")
    assert rec.version == 1 and rec.status == "new" and rec.data is None
    saved = repo.save(rec.id, {"country": "VNM", "city": "Da Nang"}, expected_version=1)
    assert saved.version == 2 and saved.status == "in_progress"
    again = repo.get(rec.id)
    assert again.data == {"country": "VNM", "city": "Da Nang"} and again.city == "Da Nang" and again.country == "VNM"


def test_saving_an_older_version_is_refused_and_keeps_the_newer_one(repo):
    rec = repo.create(title="t")
    repo.save(rec.id, {"city": "first tab"}, expected_version=1)
    with pytest.raises(StaleWriteError) as info:
        repo.save(rec.id, {"city": "second tab"}, expected_version=1)
    assert info.value.current == 2 and info.value.expected == 1
    assert repo.get(rec.id).data == {"city": "first tab"}


def test_two_threads_saving_the_same_version_one_wins(repo):
    rec = repo.create(title="t")
    outcomes: list[str] = []

    def save(city: str) -> None:
        try:
            repo.save(rec.id, {"city": city}, expected_version=1)
            outcomes.append("saved")
        except StaleWriteError:
            outcomes.append("stale")

    threads = [threading.Thread(target=save, args=(f"c{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale", "stale", "stale"]
    assert repo.get(rec.id).version == 2


def test_list_rename_archive_duplicate_delete(repo):
    a = repo.create(title="A", owner="kim", data={"country": "VNM", "city": "Hue"})
    b = repo.create(title="B")
    repo.rename(b.id, "B renamed")
    repo.set_archived(a.id)
    assert [r.title for r in repo.list()] == ["B renamed"]
    assert {r.title for r in repo.list(include_archived=True)} == {"A", "B renamed"}
    copy = repo.duplicate(a.id)
    assert copy.id != a.id and copy.data == a.data and copy.title == "A (copy)" and copy.status == "in_progress"
    repo.add_proposal(a.id, b"%PDF-1.7 x", "en", "2026.11", "abc")
    repo.delete(a.id)
    with pytest.raises(StorageError):
        repo.get(a.id)
    assert repo.proposals(a.id) == []


def test_proposal_versions_are_listed_newest_first_and_fetched_by_id(repo):
    rec = repo.create(title="t", data={"city": "x"})
    first = repo.add_proposal(rec.id, b"%PDF-first", "en", "v1", "h1")
    second = repo.add_proposal(rec.id, b"%PDF-second", "ko", "v1", "h2")
    listed = repo.proposals(rec.id)
    assert [p.id for p in listed] == [second.id, first.id]
    assert listed[0].language == "ko" and listed[0].size == len(b"%PDF-second") and listed[0].pdf == b""
    assert repo.proposal_pdf(first.id) == b"%PDF-first"
    assert repo.get(rec.id).status == "proposal"


def test_proposal_versions_are_numbered_within_their_engagement_oldest_first(repo):
    from app import services

    other = repo.create(title="o", data={"city": "y"})
    repo.add_proposal(other.id, b"%PDF-other", "en", "v1", "h0")  # takes a database id before ours
    rec = repo.create(title="t", data={"city": "x"})
    first = repo.add_proposal(rec.id, b"%PDF-first", "en", "v1", "h1")
    second = repo.add_proposal(rec.id, b"%PDF-second", "ko", "v1", "h2")
    assert services.version_numbers(repo.proposals(rec.id)) == {first.id: 1, second.id: 2}


def _crash_mid_save(url: str, engagement_id: str) -> None:
    """Start a save, and kill the process inside the transaction, after the UPDATE ran but before COMMIT."""
    repo = Repository.from_url(url)

    @event.listens_for(repo.engine, "commit")
    def _die(_conn):
        os._exit(17)

    repo.save(engagement_id, {"city": "half-written"}, expected_version=2)


def test_a_process_killed_mid_save_leaves_the_previous_version_readable(url, repo):
    rec = repo.create(title="t")
    repo.save(rec.id, {"city": "good"}, expected_version=1)
    proc = multiprocessing.get_context("spawn").Process(target=_crash_mid_save, args=(url, rec.id))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 17
    fresh = Repository.from_url(url)
    again = fresh.get(rec.id)
    assert again.data == {"city": "good"} and again.version == 2
    assert fresh.save(rec.id, {"city": "next"}, expected_version=2).version == 3


def test_an_unreachable_database_is_a_storage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError):
        Repository.from_url(f"sqlite:///{blocker / 'sub' / 'db.sqlite3'}")


def test_the_database_is_a_file_in_the_data_folder_unless_a_url_is_given(tmp_path):
    from app import services
    from app.settings import Settings

    default = Settings.from_env({"KCITY_DATA_DIR": str(tmp_path / "data")})
    services.open_repository(default.database_url).create(title="a")
    assert (tmp_path / "data" / "kcity.sqlite3").exists()

    team = Settings.from_env({"KCITY_DATA_DIR": str(tmp_path / "data"), "KCITY_DATABASE_URL": f"sqlite+pysqlite:///{tmp_path / 'team.db'}"})
    repo = services.open_repository(team.database_url)
    repo.create(title="b")
    assert (tmp_path / "team.db").exists() and [r.title for r in repo.list()] == ["b"]
