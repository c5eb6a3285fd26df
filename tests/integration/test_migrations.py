"""Alembic migrations: a database made by release 0.1 upgrades in place keeping its work, and the migrated schema is
exactly the one the code's tables describe (on SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.adapters import schema
from app.adapters.storage import Repository, make_engine
from app.adapters.tables import Base
from tests.conftest import DATA

RELEASE_01 = DATA / "storage" / "release-0.1.sql"


def test_a_sqlite_file_made_by_release_0_1_upgrades_in_place_keeping_its_engagements(tmp_path):
    path = tmp_path / "kcity.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(RELEASE_01.read_text(encoding="utf-8"))
    repo = Repository.from_url(f"sqlite:///{path}")
    with repo.engine.connect() as conn:
        assert schema.current(conn) == schema.head()
        assert {"accounts", "comments", "sent_copies", "audit_log", "render_jobs"} <= set(inspect(conn).get_table_names())
    kept = repo.get("6517e5d1c9a6")
    assert (kept.title, kept.owner, kept.version, kept.data, kept.status) == ("Da Nang", "kim", 3, {"country": "VNM", "city": "Da Nang"}, "proposal")
    assert kept.review_state == "draft" and kept.approved_by is None
    assert {r.title for r in repo.list(include_archived=True)} == {"Da Nang", "Old archive"}
    [proposal] = repo.proposals(kept.id)
    assert (proposal.language, proposal.edition, proposal.draft) == ("en", "partner", False)
    assert repo.proposal_pdf(proposal.id) == b"%PDF-old"
    saved = repo.save(kept.id, {"country": "VNM", "city": "Da Nang", "title": "t"}, expected_version=3, by="kim")
    assert saved.version == 4
    Repository.from_url(f"sqlite:///{path}")  # opening it again changes nothing
    assert Repository.from_url(f"sqlite:///{path}").get(kept.id).version == 4


def test_the_migrated_schema_is_the_one_the_tables_describe(database_url):
    engine = make_engine(database_url)
    Repository(engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_a_new_database_gets_every_migration_and_a_current_one_is_left_alone(database_url):
    engine = make_engine(database_url)
    Repository(engine)
    with engine.connect() as conn:
        assert schema.current(conn) == schema.head() == "0003_render_jobs"
    Repository(engine).create(title="x")
    assert [r.title for r in Repository(engine).list()] == ["x"]


def test_a_database_of_the_team_release_upgrades_to_the_render_queue_keeping_its_work(database_url):
    engine = make_engine(database_url)
    schema.upgrade(engine, "0002_team")
    with engine.begin() as conn:
        assert "render_jobs" not in inspect(conn).get_table_names()
        conn.execute(text("INSERT INTO engagements (id, title, status, owner, version, created, updated, archived, review_state, "
                          "state_reason) VALUES ('e1', 'Hue', 'new', 'kim', 2, '2026-12-01', '2026-12-01', false, 'draft', '')"))
    repo = Repository(engine)
    with engine.connect() as conn:
        assert schema.current(conn) == "0003_render_jobs"
        assert "render_jobs" in inspect(conn).get_table_names()
    assert (repo.get("e1").title, repo.get("e1").version) == ("Hue", 2)
